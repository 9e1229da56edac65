//! `yanshou serve OUT_DIR`: the batch's report site over HTTP, read-only, plus full-text search
//! over `OUT_DIR/index` (a search page, and `GET /api/search?q=…&limit=…` answering
//! `yanshou.search.v1`).
//!
//! The stack is axum on tokio, with their smallest features (HTTP/1 only; a current-thread
//! runtime with I/O): a well-kept, widely used server whose request handling we do not have
//! to get right ourselves, at a cost of about thirty small crates. A blocking server such as
//! tiny_http would build faster but is less maintained, and hand-written HTTP parsing is
//! exactly what a server on an office network must not have.
//!
//! What it serves is decided by [`resolve`] alone: a request path names a file inside
//! `OUT_DIR` or nothing. Encoded slashes, `.`/`..` segments, empty segments, NUL, backslashes,
//! drive letters and hidden names are refused before the file system is touched; what is left
//! is canonicalized and must still lie inside `OUT_DIR` (a symlink cannot lead out). It
//! listens on loopback unless the caller allows more (the CLI asks for a flag and warns).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use crate::error::Error;
use crate::render::site::{SITE_DIR, SearchForm, VIEWS_FILE, search_page};
use crate::search::{Filters, SearchResult, search};

/// The address `serve` listens on unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8642";

/// Most hits one search returns.
const MAX_LIMIT: usize = 200;

/// Why a path is not served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The path is malformed or tries to leave `OUT_DIR` (400).
    BadPath,
    /// Nothing is there (404).
    NotFound,
    /// It resolves outside `OUT_DIR`, through a symlink (403).
    Outside,
}

/// Top-level names of `OUT_DIR` that are the tool's own working files, not the report.
const PRIVATE: &[&str] = &["cache", "state.json", "index"];

/// The file of `root` (canonical) that the URL path `raw` (still percent-encoded) names.
pub fn resolve(root: &Path, raw: &str) -> Result<PathBuf, Refusal> {
    let rest = raw.strip_prefix('/').ok_or(Refusal::BadPath)?;
    let mut path = root.to_path_buf();
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            // Only a trailing slash ("site/P01/") may leave a segment empty.
            if i == last && i > 0 || segments.len() == 1 {
                continue;
            }
            return Err(Refusal::BadPath);
        }
        let lower = seg.to_ascii_lowercase();
        if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
            return Err(Refusal::BadPath);
        }
        let decoded = percent_encoding::percent_decode_str(seg)
            .decode_utf8()
            .map_err(|_| Refusal::BadPath)?;
        let bad_char = |c: char| c == '/' || c == '\\' || c == ':' || c.is_control();
        if decoded.starts_with('.') || decoded.chars().any(bad_char) {
            return Err(Refusal::BadPath);
        }
        if i == 0 && PRIVATE.contains(&decoded.as_ref()) {
            return Err(Refusal::NotFound);
        }
        path.push(decoded.as_ref());
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().map_err(|_| Refusal::NotFound)?;
    if !real.starts_with(root) {
        return Err(Refusal::Outside);
    }
    if !real.is_file() {
        return Err(Refusal::NotFound);
    }
    Ok(real)
}

/// A bound server, not yet answering.
pub struct Server {
    listener: std::net::TcpListener,
    state: Arc<Site>,
}

struct Site {
    root: PathBuf,
}

impl Server {
    /// Binds `addr` to serve `out` (a batch's output folder).
    pub fn bind(out: &Path, addr: SocketAddr) -> Result<Server, Error> {
        let root = out
            .canonicalize()
            .map_err(|e| Error::Usage(format!("{}：{e}", out.display())))?;
        if !root.join("index.html").is_file() {
            return Err(Error::Usage(format!(
                "{} 不是 yanshou batch 的输出目录（没有 index.html）：请先运行 yanshou batch 批次目录 --out {}",
                out.display(),
                out.display()
            )));
        }
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|e| Error::Usage(format!("无法在 {addr} 上监听：{e}")))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::Usage(format!("无法在 {addr} 上监听：{e}")))?;
        Ok(Server {
            listener,
            state: Arc::new(Site { root }),
        })
    }

    /// The address it listens on (the port chosen when `addr` asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Answers requests until the process ends.
    pub fn run(self) -> Result<(), Error> {
        let addr = self.local_addr();
        let failed = |e: std::io::Error| Error::Usage(format!("{addr}：{e}"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(failed)?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            axum::serve(listener, app(self.state)).await
        })
        .map_err(failed)
    }
}

fn app(state: Arc<Site>) -> Router {
    Router::new()
        .route("/api/search", get(api_search))
        .route("/search.html", get(search_html))
        .fallback(static_file)
        .with_state(state)
}

/// The query of a search, from the URL.
#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<usize>,
    year: Option<String>,
    label: Option<String>,
    org: Option<String>,
    project: Option<String>,
}

impl SearchParams {
    fn filters(&self) -> Filters {
        let some = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        Filters {
            year: self.year.as_deref().and_then(|y| y.trim().parse().ok()),
            label: some(&self.label),
            org: some(&self.org),
            project: some(&self.project),
        }
    }
}

async fn run_search(site: &Arc<Site>, p: &SearchParams) -> Result<SearchResult, String> {
    let dir = site.root.join("index");
    let (q, filters) = (p.q.clone(), p.filters());
    let limit = p.limit.unwrap_or(20).clamp(1, MAX_LIMIT);
    tokio::task::spawn_blocking(move || search(&dir, &q, limit, &filters))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

async fn api_search(State(site): State<Arc<Site>>, Query(p): Query<SearchParams>) -> Response {
    match run_search(&site, &p).await {
        Ok(r) => with_headers(
            StatusCode::OK,
            "application/json; charset=utf-8",
            serde_json::to_vec(&r).unwrap_or_default(),
        ),
        Err(e) => with_headers(
            StatusCode::INTERNAL_SERVER_ERROR,
            "application/json; charset=utf-8",
            serde_json::to_vec(&serde_json::json!({ "error": format!("检索失败：{e}") }))
                .unwrap_or_default(),
        ),
    }
}

async fn search_html(State(site): State<Arc<Site>>, Query(p): Query<SearchParams>) -> Response {
    let results = if p.q.trim().is_empty() {
        html! { p.muted { "输入查询词后检索。" } }
    } else {
        match run_search(&site, &p).await {
            Ok(r) => hits(&r, &views(&site.root)),
            Err(e) => html! { p.fail { "检索失败：" (e) } },
        }
    };
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let form = SearchForm {
        q: p.q.clone(),
        label: text(&p.label),
        org: text(&p.org),
        year: text(&p.year),
    };
    let page = search_page(&form, Some(results));
    with_headers(
        StatusCode::OK,
        "text/html; charset=utf-8",
        page.0.into_bytes(),
    )
}

/// The views of project files the site wrote, by indexed path.
fn views(root: &Path) -> BTreeMap<String, String> {
    std::fs::read(root.join(SITE_DIR).join(VIEWS_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// The hits, each linked to its file's view and project, the matches highlighted.
fn hits(r: &SearchResult, views: &BTreeMap<String, String>) -> Markup {
    html! {
        p #total { "共 " (r.total) " 个文件包含“" (r.query) "”" @if r.total > r.hits.len() { "，显示前 " (r.hits.len()) " 个" } "。" }
        ol #hits {
            @for h in &r.hits {
                li {
                    @match views.get(&h.path) {
                        Some(v) => { a href=(v) { b { (h.title) } } }
                        None => { b { (h.title) } }
                    }
                    " "
                    span.muted {
                        (h.path)
                        @if let Some(p) = &h.project {
                            "　项目 " a href=(crate::render::site::project_href(p)) { (p) }
                        }
                        @if let Some(l) = &h.label { "　" (l) }
                        @if let Some(y) = h.year { "　" (y) "年" }
                    }
                    br;
                    (snippet(&h.snippet))
                }
            }
        }
    }
}

/// A snippet with its 【match】 shown as highlighted text.
fn snippet(s: &str) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('【') {
        let after = &rest[open + '【'.len_utf8()..];
        let Some(close) = after.find('】') else {
            break;
        };
        parts.push((false, &rest[..open]));
        parts.push((true, &after[..close]));
        rest = &after[close + '】'.len_utf8()..];
    }
    parts.push((false, rest));
    html! {
        span.snippet {
            @for (hit, t) in parts {
                @if hit { mark { (t) } } @else { (t) }
            }
        }
    }
}

async fn static_file(State(site): State<Arc<Site>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "只读：只接受 GET").into_response();
    }
    let path = match resolve(&site.root, uri.path()) {
        Ok(p) => p,
        Err(Refusal::BadPath) => return (StatusCode::BAD_REQUEST, "路径无效").into_response(),
        Err(Refusal::NotFound) => return (StatusCode::NOT_FOUND, "没有这个文件").into_response(),
        Err(Refusal::Outside) => return (StatusCode::FORBIDDEN, "不在输出目录内").into_response(),
    };
    match tokio::task::spawn_blocking(move || std::fs::read(&path).map(|b| (path, b))).await {
        Ok(Ok((path, bytes))) => with_headers(StatusCode::OK, content_type(&path), bytes),
        _ => (StatusCode::NOT_FOUND, "无法读取").into_response(),
    }
}

/// A response with the headers every answer carries: its type, no sniffing, and a policy
/// that lets the pages use their own inline style and script and nothing from elsewhere.
fn with_headers(status: StatusCode, ctype: &'static str, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

fn content_type(path: &Path) -> &'static str {
    match crate::extract::extension(path).as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" | "jsonl" => "application/json; charset=utf-8",
        "md" | "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output folder with a page, a sub-folder with its own index, a private file, and a
    /// secret beside it (outside).
    fn layout() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(out.join("site/P 01")).unwrap();
        std::fs::create_dir_all(out.join("cache")).unwrap();
        std::fs::write(out.join("index.html"), "dash").unwrap();
        std::fs::write(out.join("site/P 01/index.html"), "p01").unwrap();
        std::fs::write(out.join("site/P 01/报告.html"), "view").unwrap();
        std::fs::write(out.join("cache/facts.bin"), "x").unwrap();
        std::fs::write(out.join(".lock"), "1").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        let root = out.canonicalize().unwrap();
        (tmp, root)
    }

    #[test]
    fn serves_what_is_inside() {
        let (_tmp, root) = layout();
        let ok = |p: &str| resolve(&root, p).unwrap();
        assert_eq!(ok("/"), root.join("index.html"));
        assert_eq!(ok("/index.html"), root.join("index.html"));
        assert_eq!(ok("/site/P%2001/"), root.join("site/P 01/index.html"));
        assert_eq!(ok("/site/P%2001"), root.join("site/P 01/index.html"));
        assert_eq!(
            ok("/site/P%2001/%E6%8A%A5%E5%91%8A.html"),
            root.join("site/P 01/报告.html")
        );
    }

    #[test]
    fn refuses_every_way_out() {
        let (_tmp, root) = layout();
        let rows: &[(&str, Refusal)] = &[
            ("/../secret.txt", Refusal::BadPath),
            ("/site/../../secret.txt", Refusal::BadPath),
            ("/%2e%2e/secret.txt", Refusal::BadPath),
            ("/%2E%2E/secret.txt", Refusal::BadPath),
            ("/site/%2F..%2Fsecret.txt", Refusal::BadPath),
            ("/..%2fsecret.txt", Refusal::BadPath),
            ("/..%5csecret.txt", Refusal::BadPath),
            ("/..\\secret.txt", Refusal::BadPath),
            ("//etc/passwd", Refusal::BadPath),
            ("/%2Fetc%2Fpasswd", Refusal::BadPath),
            ("/C:%5CWindows", Refusal::BadPath),
            ("/index.html%00.png", Refusal::BadPath),
            ("/index.html\0", Refusal::BadPath),
            ("/.lock", Refusal::BadPath),
            ("/./index.html", Refusal::BadPath),
            ("/%ff.html", Refusal::BadPath),
            ("etc/passwd", Refusal::BadPath),
            ("/cache/facts.bin", Refusal::NotFound),
            ("/state.json", Refusal::NotFound),
            ("/nothing.html", Refusal::NotFound),
        ];
        for (p, want) in rows {
            assert_eq!(resolve(&root, p), Err(*want), "{p}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_cannot_lead_out() {
        let (tmp, root) = layout();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("leak.html")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), root.join("up")).unwrap();
        // A link inside that stays inside is fine.
        std::os::unix::fs::symlink(root.join("index.html"), root.join("same.html")).unwrap();
        assert_eq!(resolve(&root, "/leak.html"), Err(Refusal::Outside));
        assert_eq!(resolve(&root, "/up/secret.txt"), Err(Refusal::Outside));
        assert_eq!(resolve(&root, "/same.html"), Ok(root.join("index.html")));
    }

    #[test]
    fn snippets_mark_their_matches() {
        let m = snippet("前文【学会】中间【改革】<b>后").0;
        assert_eq!(
            m,
            "<span class=\"snippet\">前文<mark>学会</mark>中间<mark>改革</mark>&lt;b&gt;后</span>"
        );
    }
}
