//! Generates the Tauri context (config, capabilities, embedded `ui/`) at build time.
fn main() {
    tauri_build::build();
}
