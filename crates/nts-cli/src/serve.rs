//! `nts serve`: the UI in any browser. Serves the files of `ui/` and maps
//! `POST /api/<name>` (JSON body) to `nts_api::Api::call`, on 127.0.0.1 only. Requests
//! whose Host is not this loopback address are refused (DNS-rebinding guard), static files
//! are confined to the UI folder, and every response carries a strict CSP.

use anyhow::{bail, Context};
use nts_api::Api;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response, Server};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The UI folder: `--ui`, `NTS_UI`, else `ui/` in the repository.
pub fn ui_dir(arg: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let dir = arg
        .or_else(|| std::env::var_os("NTS_UI").map(PathBuf::from))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui"));
    let dir =
        dir.canonicalize().with_context(|| format!("the UI folder {} does not exist; pass --ui DIR", dir.display()))?;
    if !dir.join("index.html").is_file() {
        bail!("{} has no index.html; pass --ui DIR", dir.display());
    }
    Ok(dir)
}

pub fn serve(library: PathBuf, port: u16, ui: PathBuf) -> anyhow::Result<()> {
    let server =
        Server::http(("127.0.0.1", port)).map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
    let api = Api::new(library, nts_core::library::bundled_corpus_dir());
    api.start();
    println!("Serving NTS Atlas on http://127.0.0.1:{port}/");
    let server = Arc::new(server);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, api, ui) = (server.clone(), api.clone(), ui.clone());
            std::thread::spawn(move || {
                while let Ok(req) = server.recv() {
                    handle(req, &api, &ui, port);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

fn header(k: &str, v: &str) -> Header {
    // Both strings are ASCII constants or content types built here.
    Header::from_bytes(k.as_bytes(), v.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes("X-Bad", "1").expect("static header"))
}

fn respond(req: Request, status: u16, mime: &str, body: Vec<u8>) {
    let resp = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", mime))
        .with_header(header("Content-Security-Policy", CSP))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = req.respond(resp);
}

fn handle(mut req: Request, api: &Api, ui: &Path, port: u16) {
    let host_ok = req.headers().iter().find(|h| h.field.equiv("Host")).is_some_and(|h| {
        let v = h.value.as_str();
        v == format!("127.0.0.1:{port}") || v == format!("localhost:{port}")
    });
    if !host_ok {
        return respond(req, 403, "text/plain; charset=utf-8", b"forbidden host".to_vec());
    }
    let url = req.url().split('?').next().unwrap_or("/").to_string();
    if let Some(name) = url.strip_prefix("/api/") {
        if *req.method() != Method::Post {
            return respond(req, 405, "text/plain; charset=utf-8", b"use POST".to_vec());
        }
        let mut body = String::new();
        if req.as_reader().take(16 << 20).read_to_string(&mut body).is_err() {
            return respond(
                req,
                400,
                "application/json",
                br#"{"code":"invalid","message":"the request body is not UTF-8 JSON"}"#.to_vec(),
            );
        }
        let args = if body.trim().is_empty() { Ok(serde_json::Value::Null) } else { serde_json::from_str(&body) };
        let (status, value) = match args {
            Err(e) => (400, serde_json::json!({"code": "invalid", "message": format!("bad JSON: {e}")})),
            Ok(args) => match api.call(name, args) {
                Ok(v) => (200, v),
                Err(e) => (if e.is_user_error() { 400 } else { 500 }, serde_json::to_value(&e).unwrap_or_default()),
            },
        };
        return respond(req, status, "application/json; charset=utf-8", serde_json::to_vec(&value).unwrap_or_default());
    }
    if *req.method() != Method::Get && *req.method() != Method::Head {
        return respond(req, 405, "text/plain; charset=utf-8", b"method not allowed".to_vec());
    }
    let rel = if url == "/" { "index.html".to_string() } else { percent_decode(url.trim_start_matches('/')) };
    let path = ui.join(&rel);
    match path.canonicalize() {
        Ok(p) if p.starts_with(ui) && p.is_file() => match std::fs::read(&p) {
            Ok(bytes) => respond(req, 200, mime(&p), bytes),
            Err(_) => respond(req, 404, "text/plain; charset=utf-8", b"not found".to_vec()),
        },
        _ => respond(req, 404, "text/plain; charset=utf-8", b"not found".to_vec()),
    }
}

fn mime(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
