//! Normalise on real snippets of the five seeds (table-driven: input, then the blocks as
//! `kind|section|marker|text` lines) and invariants over the whole seeds.

use nts_core::normalise::normalise;
use nts_core::BlockKind;
use std::path::Path;

fn render(src: &str) -> String {
    normalise(src, &[])
        .iter()
        .map(|b| {
            format!("{}|{}|{}|{}", b.kind.as_str(), b.section.join(">"), b.marker.as_deref().unwrap_or(""), b.text)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(src: &str, expect: &str) {
    let got = render(src);
    let expect = expect.trim().lines().map(str::trim).collect::<Vec<_>>().join("\n");
    assert_eq!(got, expect, "\n--- got ---\n{got}\n--- expected ---\n{expect}\n");
}

/// 002: a word broken across a blank line (`安` ⏎⏎ `全问题`) and an author note in the
/// middle of a sentence.
#[test]
fn blank_line_broken_word_and_author_note() {
    check(
        "“当今世界并不太平，人类面临许多共同挑战。”如今，安\n\n全问题的联动性、跨国性、多样性特点更加显著。\n\n\
学界从警务执法合作角度出发，对国际执法安全合作的一些基础性理论以及具体实践模式进行了比较全面的研究，取得了\n\n\
作者：北京市公安局东城分局朝阳门派出所政委\n\n一定的成果，但是，对大国博弈新形势下国际执法安全合作所面临的现实困境则涉及较少。\n",
        "body|||“当今世界并不太平，人类面临许多共同挑战。”如今，安全问题的联动性、跨国性、多样性特点更加显著。
         body|||学界从警务执法合作角度出发，对国际执法安全合作的一些基础性理论以及具体实践模式进行了比较全面的研究，取得了一定的成果，但是，对大国博弈新形势下国际执法安全合作所面临的现实困境则涉及较少。
         footnote||作者|作者：北京市公安局东城分局朝阳门派出所政委",
    );
}

/// 003: `^①` in the body, a `^①` footnote line splitting a sentence, `*italic*` titles.
#[test]
fn caret_footnote_inside_sentence() {
    check(
        "近年来，地缘政治动荡、新冠疫情、技术革命以及环境变化等要素成为影响国际移民发展走向的重要变量，^①但国际移民在趋势、流向、结构等方面仍呈现出相对稳定的特点。与之相应，国际移民安全\n\n\
^① World Migration Report 2022, International Organization for Migration, Geneva, 2022, p.5.\n\n\
问题虽表现出一定的新动向，如移民“武器化”（weaponized），但更多的还是老问题。\n\n\
② *World Migration Report 2024*, International Organization for Migration, Geneva, 2024, pp.83-84.\n",
        "body||①|近年来，地缘政治动荡、新冠疫情、技术革命以及环境变化等要素成为影响国际移民发展走向的重要变量，①但国际移民在趋势、流向、结构等方面仍呈现出相对稳定的特点。与之相应，国际移民安全问题虽表现出一定的新动向，如移民“武器化”（weaponized），但更多的还是老问题。
         footnote||①|① World Migration Report 2022, International Organization for Migration, Geneva, 2022, p.5.
         footnote||②|② World Migration Report 2024, International Organization for Migration, Geneva, 2024, pp.83-84.",
    );
}

/// 000: `<sup>①</sup>` markers, Markdown headings with inconsistent `#` levels, a
/// footnote between the halves of a sentence.
#[test]
fn sup_markers_and_book_headings() {
    check(
        "# 第一章 非传统安全与非传统安全犯罪\n\n## 第一节 非传统安全与新安全观\n\n\
“非传统安全犯罪”名词首次出现在2013年国家社科基金指南第60项中。<sup>①</sup>本章试对这些问题展开探讨。\n\n\
### 一、非传统安全研究概述\n\n非传统安全犯罪范畴不是创造新的犯罪类型，而是用一\n\n\
<sup>①</sup> 阎二鹏：《海上非传统安全犯罪与中国刑法应对》，载《福建江夏学院学报》2014年第8期。\n\n\n\n\
种新的视角去观察分析既有的犯罪。\n\n### （一）非传统安全概念和特征\n\n#### 1. 安全主体多元性和安全内容的宽泛性\n\n\
非传统安全的行为主体包括除国家之外的任何个人。\n\n## 2. 安全重心和安全价值的异化\n\n传统安全视野下，安全重心集中在国家领土。\n",
        "heading|||第一章 非传统安全与非传统安全犯罪
         heading|第一章 非传统安全与非传统安全犯罪||第一节 非传统安全与新安全观
         body|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观|①|“非传统安全犯罪”名词首次出现在2013年国家社科基金指南第60项中。①本章试对这些问题展开探讨。
         heading|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观||一、非传统安全研究概述
         body|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观>一、非传统安全研究概述||非传统安全犯罪范畴不是创造新的犯罪类型，而是用一种新的视角去观察分析既有的犯罪。
         footnote|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观>一、非传统安全研究概述|①|① 阎二鹏：《海上非传统安全犯罪与中国刑法应对》，载《福建江夏学院学报》2014年第8期。
         heading|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观>一、非传统安全研究概述||（一）非传统安全概念和特征
         heading|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观>一、非传统安全研究概述>（一）非传统安全概念和特征||1. 安全主体多元性和安全内容的宽泛性
         body|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观>一、非传统安全研究概述>（一）非传统安全概念和特征>1. 安全主体多元性和安全内容的宽泛性||非传统安全的行为主体包括除国家之外的任何个人。
         heading|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观>一、非传统安全研究概述>（一）非传统安全概念和特征||2. 安全重心和安全价值的异化
         body|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观>一、非传统安全研究概述>（一）非传统安全概念和特征>2. 安全重心和安全价值的异化||传统安全视野下，安全重心集中在国家领土。",
    );
}

/// 000: the table of contents, with `<b>` entries, tab page numbers, dot leaders and a
/// chapter title above its subtitle; it ends where the body begins.
#[test]
fn table_of_contents() {
    check(
        "## 前 言\n\n全书共六章，并附加一个立法专家建议稿。\n\n# 目 录\n\n<b>第一章 非传统安全与非传统安全犯罪</b>\t1\n\
<b>第一节 非传统安全与新安全观</b>\t1\n一、非传统安全研究概述\t1\n二、中国面临的非传统安全犯罪类型划分的两个维度 .....\t61\n\n\
## 第五章 域外非传统安全犯罪治理\n\n——欧盟跨境执法合作机制 .....\t204\n\n 参考文献 .....\t337\n\n\
# 第一章 非传统安全与非传统安全犯罪\n\n## 第一节 非传统安全与新安全观\n\n正文开始。\n",
        "heading|||前 言
         body|前 言||全书共六章，并附加一个立法专家建议稿。
         toc|||目 录
         toc|||第一章 非传统安全与非传统安全犯罪\t1
         toc|||第一节 非传统安全与新安全观\t1
         toc|||一、非传统安全研究概述\t1
         toc|||二、中国面临的非传统安全犯罪类型划分的两个维度 .....\t61
         toc|||第五章 域外非传统安全犯罪治理
         toc|||——欧盟跨境执法合作机制 .....\t204
         toc|||参考文献 .....\t337
         heading|||第一章 非传统安全与非传统安全犯罪
         heading|第一章 非传统安全与非传统安全犯罪||第一节 非传统安全与新安全观
         body|第一章 非传统安全与非传统安全犯罪>第一节 非传统安全与新安全观||正文开始。",
    );
}

/// 004: hard-wrapped at a fixed width with blank lines between wrapped lines, `［6］`
/// citation markers, a page number and two running heads inside a sentence, the
/// bracketed abstract label, numbered headings.
#[test]
fn hard_wrapped_with_running_heads() {
    let src =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/004_72b87f142ad008ca.txt"))
            .expect("seed 004");
    let blocks = normalise(&src, &[]);
    let find = |needle: &str| {
        blocks.iter().find(|b| b.text.contains(needle)).unwrap_or_else(|| panic!("no block contains {needle}"))
    };
    let b = find("三是意大利、荷兰等欧盟—北约成员国");
    assert!(b.text.contains("会减少进口美国武器从而影响与美国的关系；四是法国和德国"), "{}", b.text);
    assert!(!b.text.contains("NORTHEAST") && !b.text.contains("东北亚论坛") && !b.text.contains("75"));
    assert_eq!(b.kind, BlockKind::Body);
    let b = find("公共产品理论属于经济学范畴");
    assert!(b.text.contains("林达尔在《公平税收》（1919 年）一文中使用。1954 年，萨缪尔森"), "{}", b.text);
    assert_eq!(b.section, ["二、传统安全公共产品供给的逻辑内涵", "（一）公共产品理论与国际安全公共产品的界定"]);
    let b = find("对公共产品概念的界定体现出其非排他性");
    assert_eq!(b.marker.as_deref(), Some("6"));
    let abs = find("传统公共产品理论通常认为");
    assert_eq!(abs.kind, BlockKind::Abstract);
    assert!(abs.text.starts_with("［摘 要］") && abs.text.ends_with("最终实现全球安全治理的新局面。"));
    assert!(abs.text.contains("霸权国和全球性国际组织"), "word split at the wrap: {}", abs.text);
    let h = find("1. 稳定繁荣还是危机？");
    assert_eq!(h.kind, BlockKind::Heading);
    assert_eq!(h.section.len(), 2);
    // The English abstracts at the end: English blocks, in no section, hyphenation undone.
    let en = find("Symbiotic Security：New Concepts");
    assert_eq!(en.kind, BlockKind::English);
    assert!(en.section.is_empty());
    let en = find("The traditional theory of safe public goods");
    assert!(en.text.contains("hegemonic countries and global international organizations"), "{}", en.text);
    let kw = find("Key Words：Symbiotic Security");
    assert!(kw.text.ends_with("Supply Logic"), "keywords must not swallow the next title: {}", kw.text);
    let front: Vec<&str> =
        blocks.iter().filter(|b| b.kind == BlockKind::FrontMatter).map(|b| b.text.as_str()).collect();
    assert_eq!(front, ["共生安全：", "国际安全公共产品供给的新理念", "程 铭 刘雪莲"]);
}

/// 001: numbered headings (`1`, `1.1`, `2.2.1`), a table, captions, the reference list
/// and the author note after it.
#[test]
fn numbered_headings_tables_references() {
    check(
        "关键词：非传统安全；口岸；协同治理\n\nDOI：10.64216/3080-1486.25.06.016\n\n1 口岸非传统安全形势\n\n\
1.1 口岸非传统安全在国家总体安全中的重要性日益凸显\n\n表1 总体国家安全观的16个方面\n\n\
领域\t\t\t类型\t\t\n传统安全\t政治安全\t国土安全\t军事安全\t\t\n\n2.2.1 外部环境分析\n\n \n\n\
图 1 协同治理的综合模型示意图\n\nFigure 1 Schematic Diagram of the Comprehensive Model for Collaborative Governance\n\n\
我国口岸非传统安全治理存在部门协调不畅等问题。\n\n参考文献\n\n\
[1] 习近平. 高举中国特色社会主义伟大旗帜为全面建设社会主义现代化国家而团结奋斗[N]. 人民日报, 2022-10-26(001).\n\n\
[5] 田培杰. 协同治理: 理论研究框架与分析模型[D]. 上海交通大学, 2013.\n\n\
作者简介: 颜世传, 男, 汉族, 福建永春人, 硕士研究生在读, 研究方向: 公共管理。\n",
        "keywords|||关键词：非传统安全；口岸；协同治理
         front_matter|||DOI：10.64216/3080-1486.25.06.016
         heading|||1 口岸非传统安全形势
         heading|1 口岸非传统安全形势||1.1 口岸非传统安全在国家总体安全中的重要性日益凸显
         body|1 口岸非传统安全形势>1.1 口岸非传统安全在国家总体安全中的重要性日益凸显||表1 总体国家安全观的16个方面
         body|1 口岸非传统安全形势>1.1 口岸非传统安全在国家总体安全中的重要性日益凸显||领域\t\t\t类型\n传统安全\t政治安全\t国土安全\t军事安全
         heading|1 口岸非传统安全形势>1.1 口岸非传统安全在国家总体安全中的重要性日益凸显||2.2.1 外部环境分析
         body|1 口岸非传统安全形势>1.1 口岸非传统安全在国家总体安全中的重要性日益凸显>2.2.1 外部环境分析||图 1 协同治理的综合模型示意图
         english|1 口岸非传统安全形势>1.1 口岸非传统安全在国家总体安全中的重要性日益凸显>2.2.1 外部环境分析||Figure 1 Schematic Diagram of the Comprehensive Model for Collaborative Governance
         body|1 口岸非传统安全形势>1.1 口岸非传统安全在国家总体安全中的重要性日益凸显>2.2.1 外部环境分析||我国口岸非传统安全治理存在部门协调不畅等问题。
         heading|||参考文献
         reference|参考文献|1|[1] 习近平. 高举中国特色社会主义伟大旗帜为全面建设社会主义现代化国家而团结奋斗[N]. 人民日报, 2022-10-26(001).
         reference|参考文献|5|[5] 田培杰. 协同治理: 理论研究框架与分析模型[D]. 上海交通大学, 2013.
         footnote|参考文献|作者|作者简介: 颜世传, 男, 汉族, 福建永春人, 硕士研究生在读, 研究方向: 公共管理。",
    );
}

/// Front matter of an article and a book, abstract and keyword label variants, page
/// numbers in the common shapes, a short line repeated as a running head.
#[test]
fn front_matter_labels_and_page_numbers() {
    check(
        "新形势下加强国际执法安全合作的 现实困境及其破解路径浅析\n\n■ 贾慧智\n\n\
摘要 大国博弈和世纪疫情相互交织的新形势下，我国家主权、安全和发展利益面临着全新的挑战。\n\n\
关键词 国际执法安全合作 大国博弈 非传统安全 人类命运共同体\n\n正文第一段没有\n\n- 12 -\n\n结束\n\n\
公安研究\n\n12\n\n所以继续。\n\n公安研究\n\n第二段。\n\n公安研究\n\n第三段。\n\n---\n\n内容提要：另一种摘要标签。\n\n［关键词］移民；安全\n",
        "front_matter|||新形势下加强国际执法安全合作的 现实困境及其破解路径浅析
         front_matter|||■ 贾慧智
         abstract|||摘要 大国博弈和世纪疫情相互交织的新形势下，我国家主权、安全和发展利益面临着全新的挑战。
         keywords|||关键词 国际执法安全合作 大国博弈 非传统安全 人类命运共同体
         body|||正文第一段没有结束所以继续。
         body|||第二段。
         body|||第三段。
         abstract|||内容提要：另一种摘要标签。
         keywords|||［关键词］移民；安全",
    );
}

#[test]
fn long_sentences_starting_like_headings_stay_body() {
    check(
        "一、是指在国际无政府状态下，国家之间在客观上没有冲突、战争和战争威胁，在主观上没有对战争和威胁的恐惧以及担忧的状态。\n\n\
20 世纪 60 年代，在公共产品理论的基础上，奥尔森等学者开始在国际层面上思考公共产品问题。\n\n\
第一章，非传统安全与非传统安全犯罪。从逻辑上讲，非传统安全犯罪是非传统安全问题的一部分。\n\n\
①建立联合执法安全合作区；②完善情报交流机制。\n",
        "body|||一、是指在国际无政府状态下，国家之间在客观上没有冲突、战争和战争威胁，在主观上没有对战争和威胁的恐惧以及担忧的状态。
         body|||20 世纪 60 年代，在公共产品理论的基础上，奥尔森等学者开始在国际层面上思考公共产品问题。
         body|||第一章，非传统安全与非传统安全犯罪。从逻辑上讲，非传统安全犯罪是非传统安全问题的一部分。
         body||①,②|①建立联合执法安全合作区；②完善情报交流机制。",
    );
}

#[test]
fn markup_is_stripped_and_latin_joined_with_spaces() {
    check(
        "**非传统安全犯罪治理问题研究**\n\n策划/责任编辑 任乐乐 (lele\\_juris@163. com)\n\n网址：<http://www.zgfzs.com>\n\n[查看原文](https://tv.cctv.com/2022/09/25/VIDE.shtml)\n\n\
## 前 言\n\nThe Shanghai Coopera⁃\n\ntion Organization and the\n\nnew Asian Infrastructure Investment Bank are new.\n\n正文继续。\n",
        "front_matter|||非传统安全犯罪治理问题研究
         front_matter|||策划/责任编辑 任乐乐 (lele_juris@163. com)
         front_matter|||网址：http://www.zgfzs.com
         front_matter|||查看原文
         heading|||前 言
         english|前 言||The Shanghai Cooperation Organization and the new Asian Infrastructure Investment Bank are new.
         body|前 言||正文继续。",
    );
}

#[test]
fn ranges_point_into_the_source_in_chars() {
    let src = "标题行\n\n摘要：中文。\n\n正文，第一行\r\n\r\n第二行。\n";
    let blocks = normalise(src, &[]);
    let chars: Vec<char> = src.chars().collect();
    for b in &blocks {
        let slice: String = chars[b.range.clone()].iter().collect();
        let first_line = slice.lines().next().unwrap_or("");
        assert!(b.text.starts_with(first_line.trim()), "{:?} vs {slice:?}", b.text);
    }
    assert_eq!(blocks.last().map(|b| b.text.as_str()), Some("正文，第一行第二行。"));
}

#[test]
fn page_starts_give_pages() {
    let src = "第一页的一段话。\n\n第二页的一段话。\n";
    let second = src.find("第二页").map(|b| src[..b].chars().count()).expect("found");
    let blocks = normalise(src, &[0, second]);
    assert_eq!(blocks.iter().map(|b| b.page).collect::<Vec<_>>(), [Some(1), Some(2)]);
    // Printed page numbers bracket the page they close.
    let blocks = normalise("第一段。\n\n75\n\n第二段没有\n\n76\n\n结束。\n\n第三段。\n", &[]);
    let pages: Vec<_> = blocks.iter().map(|b| (b.text.as_str(), b.page)).collect();
    assert_eq!(pages, [("第一段。", None), ("第二段没有结束。", Some(76)), ("第三段。", None)]);
}

#[test]
fn invariants_over_all_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    // Sentences the seeds break across lines, blank lines, footnotes or page breaks.
    let whole: &[(&str, &[&str])] = &[
        (
            "000",
            &[
                "而是用一种新的视角去观察分析既有的犯罪",
                "反过来也会影响安全法治化的实现。",
                "提出在湄公河流域、上海合作组织内与中国和俄罗斯边境",
            ],
        ),
        (
            "001",
            &[
                "缺乏足够的防范意识和自救互救能力，这与口岸部门在宣传教育方面的不足有关。",
                "其关键在于多主体共同参与形成多元化网络。",
            ],
        ),
        (
            "002",
            &[
                "如今，安全问题的联动性、跨国性、多样性特点更加显著。",
                "取得了一定的成果，但是，对大国博弈新形势下",
                "努力构建有中国特色的执法安全大合作格局。",
            ],
        ),
        ("003", &["与之相应，国际移民安全问题虽表现出一定的新动向", "存在区域差异性。欧洲与北美"]),
        ("004", &["会减少进口美国武器从而影响与美国的关系", "美苏（俄）《中导条约》等国际组织与协议"]),
    ];
    for path in names {
        let src = std::fs::read_to_string(&path).expect("seed");
        let n = src.chars().count();
        let blocks = normalise(&src, &[]);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        assert!(blocks.len() > 20, "{name}: {}", blocks.len());
        let mut last_start = None;
        for b in &blocks {
            assert!(!b.text.trim().is_empty(), "{name}: empty block at {:?}", b.range);
            assert!(b.range.start < b.range.end && b.range.end <= n, "{name}: {:?}", b.range);
            if let Some(s) = last_start {
                assert!(b.range.start > s, "{name}: ranges not increasing at {:?}", b.range);
            }
            last_start = Some(b.range.start);
            let t = b.text.trim();
            assert!(!t.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' '), "{name}: page number kept: {t}");
            assert!(
                !t.contains("<sup>") && !t.contains("</b>") && !t.starts_with('#') && !t.contains("**"),
                "{name}: markup kept: {t}"
            );
            assert!(!t.contains("NORTHEAST ASIA FORUM"), "{name}: running head kept");
            if b.kind == BlockKind::Heading {
                assert!(t.chars().count() <= 60 && !t.contains('。'), "{name}: bad heading {t}");
            }
        }
        let prefix = &name[..3];
        for (seed, sentences) in whole {
            if *seed == prefix {
                for s in *sentences {
                    assert!(blocks.iter().any(|b| b.text.contains(s)), "{name}: sentence split: {s}");
                }
            }
        }
        assert!(blocks.iter().any(|b| b.kind == BlockKind::Heading), "{name}: no heading");
        assert!(
            blocks.iter().any(|b| b.kind == BlockKind::Footnote || b.kind == BlockKind::Reference) || prefix == "004"
        );
    }
}

/// Linear time: a 4 MB text of the seeds repeated normalises quickly even in debug builds
/// (no timing assertion; a quadratic pass would make this test hang).
#[test]
fn large_input_is_handled() {
    let seed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/003_2074921f6f67fe82.txt"))
            .expect("seed");
    let big = seed.repeat(60);
    let blocks = normalise(&big, &[]);
    assert!(blocks.len() > 60 * 50);
}
