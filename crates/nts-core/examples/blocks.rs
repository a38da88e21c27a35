//! Prints the blocks normalise makes of a file: `cargo run -p nts-core --example blocks FILE`.
//! A tool for looking at what a scholar will read, not part of the engine.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: blocks FILE");
        std::process::exit(2);
    };
    match nts_core::ingest::read_source(std::path::Path::new(&path)) {
        Ok(src) => {
            for b in nts_core::normalise::normalise(&src.text, &src.page_starts) {
                println!(
                    "[{} {:?} p{:?} m{:?} §{}]\n{}\n",
                    b.kind.as_str(),
                    b.range,
                    b.page,
                    b.marker,
                    b.section.join(" > "),
                    b.text
                );
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
