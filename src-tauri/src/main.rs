//! The NTS Atlas desktop shell. It owns no logic: it opens (or builds, in the background)
//! the library through `nts_api::Api`, and every UI call of `ui/API.md` is a Tauri command
//! of the same name that forwards its JSON arguments to `Api::call`. The one call of its
//! own is `save_file`, which writes an export where the user chose in the save dialog.
//!
//! The library folder comes from `NTS_LIBRARY` (tests point it at a temp dir) and the
//! default texts from `NTS_CORPUS`, else from `Api::default_paths()`'s defaults.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine as _;
use nts_api::{Api, ApiError};
use serde_json::{json, Value};
use tauri::{Manager, State};

struct Shared(Arc<Api>);

fn api_error(code: &str, message: impl Into<String>) -> ApiError {
    ApiError { code: code.to_owned(), message: message.into() }
}

/// Runs one engine call off the main thread, so a long search or export never freezes the window.
async fn forward(api: &State<'_, Shared>, name: &'static str, args: Option<Value>) -> Result<Value, ApiError> {
    let api = Arc::clone(&api.0);
    let args = args.unwrap_or_else(|| json!({}));
    tauri::async_runtime::spawn_blocking(move || api.call(name, args))
        .await
        .map_err(|e| api_error("internal", format!("{name}: {e}")))?
}

/// One Tauri command per engine call, named as in ui/API.md.
macro_rules! engine_calls {
    ($($name:ident),* $(,)?) => {
        $(
            #[tauri::command]
            async fn $name(api: State<'_, Shared>, args: Option<Value>) -> Result<Value, ApiError> {
                forward(&api, stringify!($name), args).await
            }
        )*
    };
}

engine_calls!(
    status, search, documents, document, concepts, concept, passages, path, map, export, segment, index, candidates
);

/// Writes an export (base64 bytes) to the path the user picked in the save dialog.
#[tauri::command]
async fn save_file(args: Value) -> Result<Value, ApiError> {
    let path = args
        .get("path")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| api_error("invalid", "save_file needs a `path`"))?;
    let b64 = args
        .get("base64")
        .and_then(Value::as_str)
        .ok_or_else(|| api_error("invalid", "save_file needs the file's `base64` bytes"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| api_error("invalid", format!("save_file: the bytes are not base64 ({e})")))?;
    let path = PathBuf::from(path);
    std::fs::write(&path, bytes)
        .map_err(|e| api_error("unwritable", format!("cannot write {}: {e}; choose another folder", path.display())))?;
    Ok(json!({ "path": path.display().to_string() }))
}

fn main() {
    // NTS_LIBRARY / NTS_CORPUS override the defaults (the repo's index/ and corpus/ when run
    // from the repository, else the platform data directory); nts-core reads them.
    let (library, corpus) = Api::default_paths();
    let api = Api::new(library, corpus);
    // Opens the library, or builds it from the bundled corpus in a background thread;
    // the UI polls `status` and shows the progress bar meanwhile.
    api.start();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            app.manage(Shared(api));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            status, search, documents, document, concepts, concept, passages, path, map, export, segment, index,
            candidates, save_file
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("NTS Atlas could not start its window: {e}");
        std::process::exit(1);
    }
}
