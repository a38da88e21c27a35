// Labels, Chinese first, with an English toggle. Static labels in index.html carry
// data-i18n (text), data-i18n-ph (placeholder) and data-i18n-title (tooltip); the views
// call t() when they render and re-render on the 'langchange' event.

const D = {
  'app.name': ['NTS Atlas', 'NTS Atlas'],
  'app.subtitle': ['非传统安全文献图谱', 'Non-traditional security literature map'],
  'nav.search': ['检索', 'Search'],
  'nav.reader': ['阅读', 'Reader'],
  'nav.map': ['概念图谱', 'Concept map'],
  'lang.toggle': ['English', '中文'],
  'lang.toggle.title': ['切换界面语言', 'Switch interface language'],

  'type.actor': ['行为体', 'Actor'],
  'type.threat': ['威胁', 'Threat'],
  'type.mechanism': ['机制', 'Mechanism'],
  'type.concept': ['理论概念', 'Theoretical concept'],
  'type.region': ['地区', 'Region'],
  'type.other': ['其他', 'Other'],
  'type.all': ['全部类型', 'All types'],

  'kind.body': ['正文', 'Body'],
  'kind.heading': ['标题', 'Heading'],
  'kind.abstract': ['摘要', 'Abstract'],
  'kind.keywords': ['关键词', 'Keywords'],
  'kind.english': ['英文摘要', 'English'],
  'kind.footnote': ['脚注', 'Footnote'],
  'kind.reference': ['参考文献', 'Reference'],
  'kind.toc': ['目录', 'Contents'],
  'kind.front_matter': ['前置内容', 'Front matter'],

  'search.label': ['检索词', 'Query'],
  'search.placeholder': ['输入检索词，例如：恐怖主义　（按 / 键聚焦）', 'Type a query, e.g. 恐怖主义  (press / to focus)'],
  'search.submit': ['检索', 'Search'],
  'search.syntax': ['检索语法', 'Query syntax'],
  'syntax.word': ['包含该词（同时检索别名与繁／简体）', 'contains the word (also its aliases and 繁/简 forms)'],
  'syntax.phrase': ['精确短语', 'exact phrase'],
  'syntax.and': ['同时包含（AND，可省略）', 'both (AND, may be omitted)'],
  'syntax.or': ['任一（OR）', 'either (OR)'],
  'syntax.not': ['排除后者（NOT，或用 -词）', 'exclude the second (NOT, or -word)'],
  'syntax.fields': ['限定标题、作者、年份范围', 'restrict to title, author, year range'],
  'syntax.click': ['点击示例即可填入检索框。', 'Click an example to put it in the query box.'],
  'filter.type': ['概念类型', 'Concept type'],
  'filter.doc': ['文献', 'Document'],
  'filter.doc.all': ['全部文献', 'All documents'],
  'filter.year': ['年份', 'Year'],
  'filter.year.from': ['起', 'from'],
  'filter.year.to': ['止', 'to'],
  'filter.clear': ['清除筛选', 'Clear filters'],
  'search.count': ['共 {total} 条结果，已显示 {shown} 条', '{total} results, {shown} shown'],
  'search.none': ['没有找到与“{q}”相关的段落。可尝试更短的词、别名，或去掉筛选条件。', 'No passages match “{q}”. Try a shorter word, an alias, or fewer filters.'],
  'search.more': ['更多结果', 'More results'],
  'search.read': ['在原文中阅读', 'Read in context'],
  'search.loading': ['正在检索…', 'Searching…'],
  'home.docs': ['文献库', 'Library'],
  'home.concepts': ['高频概念', 'Frequent concepts'],
  'home.hint': ['输入检索词查找段落，或点击概念查看其关联。', 'Search for passages, or click a concept to see what surrounds it.'],
  'doc.passages': ['{n} 段', '{n} passages'],

  'reader.doc': ['文献', 'Document'],
  'reader.choose': ['请选择一篇文献', 'Choose a document'],
  'reader.mentions': ['标注概念', 'Mark concepts'],
  'reader.outline': ['章节目录', 'Outline'],
  'reader.footnotes': ['脚注', 'Footnotes'],
  'reader.nofootnotes': ['本文献没有单独的脚注。', 'No footnotes in this document.'],
  'reader.collapsed': ['{label}（{n} 段，已折叠）', '{label} ({n} passages, collapsed)'],
  'reader.loading': ['正在载入文献…', 'Loading document…'],
  'reader.empty': ['从上方选择文献，或在检索结果中点击“在原文中阅读”。', 'Choose a document above, or click “Read in context” on a search result.'],
  'reader.page': ['第 {p} 页', 'p. {p}'],
  'reader.legend': ['概念标注：', 'Concept marks:'],

  'concept.close': ['关闭', 'Close'],
  'concept.loading': ['正在载入概念…', 'Loading concept…'],
  'concept.aliases': ['别名', 'Aliases'],
  'concept.english': ['英文', 'English'],
  'concept.mentions': ['提及 {n} 次', '{n} mentions'],
  'concept.docs': ['出现于 {n} 篇文献', 'in {n} documents'],
  'concept.onmap': ['在图谱中查看', 'Show on map'],
  'concept.search': ['检索该词', 'Search this term'],
  'concept.neighbors': ['关联概念', 'Related concepts'],
  'concept.neighbors.hint': ['点击关联概念，查看两者共同出现的段落；数字为关联权重。', 'Click a related concept to read the passages where both occur; numbers are link weights.'],
  'concept.passages': ['相关段落', 'Passages'],
  'concept.documents': ['文献分布', 'Documents'],
  'concept.cooc': ['“{a}”与“{b}”共同出现的段落（{n}）', 'Passages with both “{a}” and “{b}” ({n})'],
  'concept.open': ['查看该概念', 'Open this concept'],
  'concept.none': ['暂无', 'None'],
  'concept.weight': ['权重', 'weight'],
  'concept.count': ['共现 {n} 次', '{n} co-occurrences'],

  'map.center': ['中心概念', 'Centre concept'],
  'map.center.ph': ['留空则显示高频概念', 'empty = most frequent concepts'],
  'map.depth': ['扩展层数', 'Depth'],
  'map.top': ['节点上限', 'Max nodes'],
  'map.types': ['概念类型', 'Concept types'],
  'map.minw': ['最小边权重', 'Min edge weight'],
  'map.range': ['年份与文献', 'Years and document'],
  'map.display': ['节点颜色', 'Node colour'],
  'map.color.community': ['按社群', 'by community'],
  'map.color.type': ['按类型', 'by type'],
  'map.apply': ['更新图谱', 'Update map'],
  'map.fit': ['适应窗口', 'Fit'],
  'map.relayout': ['重新布局', 'Re-layout'],
  'map.reset': ['还原布局', 'Engine layout'],
  'map.counts': ['显示 {n} / {N} 个节点，{k} / {K} 条边', 'Showing {n} / {N} nodes, {k} / {K} edges'],
  'map.loading': ['正在生成图谱…', 'Building the map…'],
  'map.empty': ['当前筛选条件下没有概念。请放宽类型、权重或年份。', 'No concepts under these filters. Widen types, weight or years.'],
  'map.legend.shape': ['形状 = 概念类型', 'Shape = concept type'],
  'map.legend.color': ['颜色 = 社群', 'Colour = community'],
  'map.legend.colorType': ['颜色 = 概念类型', 'Colour = concept type'],
  'map.legend.size': ['大小 = 提及次数', 'Size = mentions'],
  'map.hint': ['点击节点查看概念，点击连线查看依据段落；拖动、滚轮缩放。', 'Click a node for the concept, an edge for its evidence; drag and scroll to zoom.'],
  'map.path': ['路径查找', 'Path finder'],
  'map.path.from': ['起点', 'From'],
  'map.path.to': ['终点', 'To'],
  'map.path.go': ['查找路径', 'Find path'],
  'map.path.title': ['“{a}” → “{b}” 的路径（{n} 步）', 'Path “{a}” → “{b}” ({n} hops)'],
  'map.path.hop': ['第 {i} 步：{a} — {b}（{n} 段依据）', 'Hop {i}: {a} — {b} ({n} passages)'],
  'map.path.clear': ['清除路径', 'Clear path'],
  'map.edge.title': ['“{a}” — “{b}”', '“{a}” — “{b}”'],
  'map.edge.meta': ['关系：{kind} · 权重 {w} · 依据段落 {n}', 'Relation: {kind} · weight {w} · {n} passages'],
  'map.edge.loading': ['正在载入依据段落…', 'Loading evidence…'],
  'map.edge.more': ['另有 {n} 段未显示', '{n} more not shown'],
  'map.detail.close': ['关闭', 'Close'],
  'rel.cooccurrence': ['共现', 'co-occurrence'],
  'rel.part_of': ['部分', 'part of'],
  'rel.instance_of': ['实例', 'instance of'],
  'rel.addresses': ['应对', 'addresses'],
  'rel.participates_in': ['参与', 'participates in'],
  'rel.contrasts_with': ['对照', 'contrasts with'],

  'export.title': ['导出', 'Export'],
  'export.format': ['格式', 'Format'],
  'export.go': ['导出图谱', 'Export map'],
  'export.cy': ['PNG · 当前视图（3 倍）', 'PNG · current view (3×)'],
  'export.svg': ['SVG · 矢量图', 'SVG · vector'],
  'export.png': ['PNG · 300 dpi（引擎绘制）', 'PNG · 300 dpi (engine)'],
  'export.graphml': ['GraphML（Gephi / Cytoscape）', 'GraphML (Gephi / Cytoscape)'],
  'export.gexf': ['GEXF（Gephi）', 'GEXF (Gephi)'],
  'export.csv': ['CSV · 边表', 'CSV · edge table'],
  'export.json': ['JSON', 'JSON'],
  'export.done': ['已导出：{name}', 'Exported: {name}'],
  'export.working': ['正在导出…', 'Exporting…'],
  'export.hint': ['导出采用与当前图谱相同的筛选条件。', 'Exports use the same filters as the map.'],

  'status.loading': ['加载中…', 'Loading…'],
  'status.ready': ['文献 {d} 篇 · 段落 {p} · 概念 {c}', '{d} documents · {p} passages · {c} concepts'],
  'status.building': ['正在建立文献库：{done} / {total}', 'Building the library: {done} / {total}'],
  'status.opening': ['正在打开文献库…', 'Opening the library…'],
  'status.failed': ['文献库无法打开', 'The library could not be opened'],
  'status.empty': ['文献库为空：请用 nts index 添加文献', 'The library is empty: add texts with nts index'],
  'status.offline': ['无法连接文献库', 'Cannot reach the library'],
  'status.library': ['文献库位置', 'Library folder'],
  'status.shortcuts': ['快捷键：/ 检索 · Esc 关闭面板', 'Keys: / search · Esc close panel'],

  'error.title': ['出错了', 'Something went wrong'],
  'error.close': ['知道了', 'OK'],
  'error.detail': ['详细信息', 'Details'],
  'err.bad_query': ['无法理解这个检索式。请检查引号是否成对、AND/OR/NOT 前后是否有词。', 'The query cannot be understood. Check quotes and AND/OR/NOT operands.'],
  'err.unknown_concept': ['文献库中没有这个概念。可先检索该词，或检查别名与繁简体。', 'No such concept in the library. Search for the word, or check aliases.'],
  'err.unknown_document': ['文献库中没有这篇文献。', 'No such document in the library.'],
  'err.unknown_passage': ['找不到该段落，文献库可能已更新。', 'Passage not found; the library may have changed.'],
  'err.no_path': ['这两个概念在图谱中没有相连的路径。', 'These two concepts are not connected in the graph.'],
  'err.locked': ['文献库正被另一个程序写入，请稍候再试。', 'The library is being written by another process; try again shortly.'],
  'err.invalid': ['输入的参数无效。', 'Invalid input.'],
  'err.no_cjk_font': ['找不到中文字体，无法导出带中文标签的图片。', 'No CJK font found; cannot draw Chinese labels.'],
  'err.corrupt': ['文献库已损坏，需要重建（nts index --rebuild）。', 'The library is damaged and needs rebuilding (nts index --rebuild).'],
  'err.network': ['无法连接到文献库服务。请确认 nts serve 仍在运行。', 'Cannot reach the library service. Is nts serve still running?'],
  'err.unwritable': ['无法写入所选位置，请换一个文件夹。', 'Cannot write there; choose another folder.'],
  'err.not_ready': ['文献库仍在建立中，请稍候。', 'The library is still being built; please wait.'],
  'err.internal': ['程序内部错误。请把下面的详细信息告诉开发者。', 'Internal error. Please report the details below.'],
  'err.other': ['操作未能完成。', 'The operation could not be completed.'],
};

const KEY = 'nts.lang';
let lang = 'zh';
try { lang = localStorage.getItem(KEY) === 'en' ? 'en' : 'zh'; } catch { /* storage unavailable */ }

export function getLang() { return lang; }

export function t(key, vars) {
  const entry = D[key];
  let s = entry ? entry[lang === 'en' ? 1 : 0] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ''));
  return s;
}

export const TYPES = ['actor', 'threat', 'mechanism', 'concept', 'region'];
export function typeLabel(type) { return D['type.' + type] ? t('type.' + type) : (type || t('type.other')); }
export function kindLabel(kind) { return D['kind.' + kind] ? t('kind.' + kind) : (kind || ''); }
export function relLabel(kind) { return D['rel.' + kind] ? t('rel.' + kind) : (kind || ''); }
export function errorText(code) { return D['err.' + code] ? t('err.' + code) : t('err.other'); }

export function applyI18n(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-ph]')) el.setAttribute('placeholder', t(el.dataset.i18nPh));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.setAttribute('title', t(el.dataset.i18nTitle));
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.title = lang === 'en' ? 'NTS Atlas — Non-traditional security literature map' : 'NTS Atlas 非传统安全文献图谱';
}

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem(KEY, lang); } catch { /* storage unavailable */ }
  applyI18n();
  window.dispatchEvent(new CustomEvent('langchange', { detail: lang }));
}
