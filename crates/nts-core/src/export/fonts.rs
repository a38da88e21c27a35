//! Finding a font that can draw the map's Chinese labels, and proving it can before
//! anything is drawn.
//!
//! usvg fails silently when a font is missing: text in an unknown family, or in a generic
//! family that fontconfig maps to an uninstalled Latin font, is dropped with only a log
//! warning, and a Latin fallback draws tofu boxes (NOTES-render). So we choose a CJK family
//! by name, make it the generic sans-serif/serif family too, and check that its character
//! map covers every character we are about to draw; if none does we return
//! [`Error::NoCjkFont`] naming the characters, so the user is told which package to install
//! instead of receiving a figure without labels.

use crate::error::{Error, Result};
use skrifa::MetadataProvider;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use usvg::fontdb;

/// CJK families we know draw Simplified Chinese well, best first. `.ttc` collections hold
/// several faces (JP/KR/SC/TC); naming the SC family picks the right glyph variants.
pub const PREFERRED_FAMILIES: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Sarasa Gothic SC",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "SimSun",
    "Droid Sans Fallback",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
];

/// The CSS fallback list written after the resolved family in editable SVG, for viewers
/// on other machines.
pub const CSS_FALLBACK: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";

/// Loading system fonts scans every font file (tens of milliseconds to seconds), so each
/// database is built once per process: the key is the extra font file, if any.
fn cache() -> &'static Mutex<HashMap<Option<PathBuf>, Arc<fontdb::Database>>> {
    static CACHE: OnceLock<Mutex<HashMap<Option<PathBuf>, Arc<fontdb::Database>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The font database (system fonts plus `font_file`), shared and cached.
pub fn font_database(font_file: Option<&Path>) -> Result<Arc<fontdb::Database>> {
    let key = font_file.map(Path::to_path_buf);
    let mut cache = cache().lock().map_err(|_| Error::Internal("font cache poisoned".into()))?;
    if let Some(db) = cache.get(&key) {
        return Ok(db.clone());
    }
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    if let Some(file) = font_file {
        let before = db.len();
        db.load_font_file(file).map_err(|e| Error::io(file, e))?;
        if db.len() == before {
            return Err(Error::Invalid(format!(
                "{}: not a font file fontdb can read (use a .ttf, .otf or .ttc)",
                file.display()
            )));
        }
    }
    let db = Arc::new(db);
    cache.insert(key, db.clone());
    Ok(db)
}

/// A font database with a CJK family set as the generic sans-serif and serif families,
/// and that family's name. The family is the one in `font_file` if given, else the first
/// of [`PREFERRED_FAMILIES`] installed, else any installed face that covers "中文".
pub fn cjk_fontdb(font_file: Option<&Path>) -> Result<(fontdb::Database, String)> {
    cjk_fontdb_for(font_file, "中文")
}

/// Like [`cjk_fontdb`], but the family must cover every character of `text` (labels,
/// legend, title): the first candidate that does is chosen. Whitespace and control
/// characters are not checked.
pub fn cjk_fontdb_for(font_file: Option<&Path>, text: &str) -> Result<(fontdb::Database, String)> {
    let shared = font_database(font_file)?;
    let family = choose_family(&shared, font_file, text)?;
    let mut db = (*shared).clone();
    db.set_sans_serif_family(family.clone());
    db.set_serif_family(family.clone());
    Ok((db, family))
}

/// The characters of `text` a font must have.
fn needed_chars(text: &str) -> BTreeSet<char> {
    text.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect()
}

fn choose_family(db: &fontdb::Database, font_file: Option<&Path>, text: &str) -> Result<String> {
    let needed = needed_chars(text);
    let mut candidates: Vec<(String, fontdb::ID)> = Vec::new();
    // 1. The user's font file: its faces, SC-named ones first.
    if let Some(file) = font_file {
        let mut own: Vec<&fontdb::FaceInfo> = db
            .faces()
            .filter(|f| matches!(&f.source, fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) if same_file(p, file)))
            .collect();
        own.sort_by_key(|f| !family_name(f).map_or(false, |n| n.contains("SC") || n.contains("CN") || n.contains("GB")));
        candidates.extend(own.iter().filter_map(|f| Some((family_name(f)?.to_string(), f.id))));
    }
    // 2. Known good CJK families, by name.
    for want in PREFERRED_FAMILIES {
        if let Some(face) = db.faces().find(|f| f.families.iter().any(|(n, _)| n == want) && is_regular(f)) {
            candidates.push((want.to_string(), face.id));
        } else if let Some(face) = db.faces().find(|f| f.families.iter().any(|(n, _)| n == want)) {
            candidates.push((want.to_string(), face.id));
        }
    }
    let mut best_missing: Option<Vec<char>> = None;
    for (family, id) in &candidates {
        let missing = missing_chars(db, *id, &needed);
        if missing.is_empty() {
            return Ok(family.clone());
        }
        if best_missing.as_ref().map_or(true, |b| missing.len() < b.len()) {
            best_missing = Some(missing);
        }
    }
    // 3. Any other installed face that covers everything (an unknown CJK font).
    for face in db.faces() {
        if candidates.iter().any(|(_, id)| *id == face.id) {
            continue;
        }
        if !needed.iter().any(|c| !c.is_ascii()) && !is_regular(face) {
            continue;
        }
        let missing = missing_chars(db, face.id, &needed);
        if missing.is_empty() {
            if let Some(name) = family_name(face) {
                return Ok(name.to_string());
            }
        }
        if best_missing.as_ref().map_or(true, |b| missing.len() < b.len()) {
            best_missing = Some(missing);
        }
    }
    let missing: String = match best_missing {
        Some(m) => m.into_iter().take(12).collect(),
        None => needed.into_iter().filter(|c| !c.is_ascii()).take(12).collect(),
    };
    Err(Error::NoCjkFont { missing })
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

fn family_name(face: &fontdb::FaceInfo) -> Option<&str> {
    // fontdb lists the English name first when the font has one.
    face.families.first().map(|(n, _)| n.as_str())
}

fn is_regular(face: &fontdb::FaceInfo) -> bool {
    face.style == fontdb::Style::Normal && face.weight == fontdb::Weight::NORMAL
}

/// The characters of `needed` that face `id` has no glyph for (all of them when the face
/// cannot be parsed).
pub fn missing_chars(db: &fontdb::Database, id: fontdb::ID, needed: &BTreeSet<char>) -> Vec<char> {
    db.with_face_data(id, |data, index| match skrifa::FontRef::from_index(data, index) {
        Ok(font) => {
            let charmap = font.charmap();
            needed.iter().copied().filter(|&c| charmap.map(c).is_none()).collect()
        }
        Err(_) => needed.iter().copied().collect(),
    })
    .unwrap_or_else(|| needed.iter().copied().collect())
}
