//! The report site in a real browser: headless Chromium (Debian's `chromium`) loads the
//! dashboard from disk, runs its script, follows a link to a project and one to a copying
//! passage, and runs a search on `serve`. Without Chromium these tests print SKIP and pass
//! (`.ci/run` installs it).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::validate;
use crate::site::{element_text, site, strip_tags};

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// The DOM of `url` after its scripts ran, as Chromium serialises it.
fn dump_dom(bin: &str, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("</html>"),
        "{url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// The `href` of the first `<a>` whose text starts with `text`.
fn href_of(dom: &str, text: &str) -> String {
    dom.split("<a ")
        .skip(1)
        .find_map(|a| {
            let body = &a[a.find('>')? + 1..a.find("</a>")?];
            if !strip_tags(body).starts_with(text) {
                return None;
            }
            let h = &a[a.find("href=\"")? + 6..];
            Some(h[..h.find('"')?].replace("&amp;", "&"))
        })
        .unwrap_or_else(|| panic!("no link {text}"))
}

macro_rules! need_chromium {
    () => {
        match chromium() {
            Some(b) => b,
            None => {
                println!("SKIP: chromium not installed (apt-get install chromium)");
                return;
            }
        }
    };
}

#[test]
fn dashboard_project_and_passage_in_a_browser() {
    let bin = need_chromium!();
    let out = site();
    let dom = dump_dom(bin, &file_url(&out.join("index.html")));
    // The script ran: the filter controls are shown and count the rows.
    let at = dom.find("id=\"controls\"").unwrap();
    let tag = &dom[dom[..at].rfind('<').unwrap()..at + dom[at..].find('>').unwrap()];
    assert!(!tag.contains("hidden"), "{tag}");
    assert_eq!(element_text(&dom, "shown"), "11");
    // Follow P02's link: its page says why it fails.
    let p02 = href_of(&dom, "P02");
    let page = dump_dom(bin, &file_url(&out.join(&p02)));
    assert_eq!(element_text(&page, "verdict"), "不通过");
    assert!(element_text(&page, "reason").contains("26,729字，少于要求的30,000字"));
    // From P01's page to the passages its report shares with P10's.
    let p01_dir = out.join("site/P01");
    let p01 = dump_dom(bin, &file_url(&p01_dir.join("index.html")));
    let link = href_of(&p01, "projects/P10/学会服务青年科技工作者研究报告.docx");
    let (file, anchor) = link.split_once('#').expect("a link to an anchor");
    let copying = dump_dom(bin, &format!("{}#{anchor}", file_url(&p01_dir.join(file))));
    let heading = element_text(&copying, anchor);
    assert!(
        heading.contains("projects/P10/学会服务青年科技工作者研究报告.docx"),
        "{heading}"
    );
    let first = element_text(&copying, &format!("{anchor}-p1"));
    assert!(
        first.chars().filter(|c| !c.is_whitespace()).count() > 50,
        "{first}"
    );
}

/// A server on a free loopback port, for the whole test binary.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let s = yanshou::serve::Server::bind(site(), "127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = s.local_addr();
        std::thread::spawn(move || s.run());
        addr
    })
}

/// A raw request (the path sent as it is, as no browser would): status line and body.
fn get_raw(addr: SocketAddr, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.lines().next().unwrap_or("").to_string();
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |x| x.1.to_string());
    (status, body)
}

#[test]
fn search_on_serve_in_a_browser() {
    let bin = need_chromium!();
    let addr = server();
    // 科技伦理 is P04's subject (its two reports' titles) and a phrase of the archive's
    // policy paper.
    let dom = dump_dom(
        bin,
        &format!("http://{addr}/search.html?q=%E7%A7%91%E6%8A%80%E4%BC%A6%E7%90%86"),
    );
    let hits = element_text(&dom, "hits");
    for path in [
        "projects/P04/学会参与科技伦理治理调研报告.docx",
        "archive/14th-fyp-cast-reform-tasks-policy.txt",
    ] {
        assert!(hits.contains(path), "{hits}");
    }
    assert!(dom.contains("<mark>科技伦理</mark>"));
    // A hit leads to its file's view, which the server serves.
    let view = href_of(&dom, "学会参与科技伦理治理调研报告");
    assert!(view.starts_with("site/P04/file-"), "{view}");
    let page = dump_dom(bin, &format!("http://{addr}/{view}"));
    assert!(
        element_text(&page, "total-body")
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',')
    );
}

#[test]
fn serve_answers_the_api_and_nothing_outside() {
    let addr = server();
    let (status, body) = get_raw(
        addr,
        "/api/search?q=%E7%A7%91%E6%8A%80%E4%BC%A6%E7%90%86&limit=1",
    );
    assert!(status.contains("200"), "{status}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    validate("search.v1.schema.json", &json);
    assert_eq!(json["hits"].as_array().unwrap().len(), 1);
    assert!(json["total"].as_u64().unwrap() >= 3);
    let (status, _) = get_raw(addr, "/");
    assert!(status.contains("200"), "{status}");
    let secret = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    assert!(secret.exists());
    for path in [
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/site/..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/index.html%00",
        "/state.json",
        "/cache/",
    ] {
        let (status, body) = get_raw(addr, path);
        assert!(!status.contains("200"), "{path}: {status}");
        assert!(!body.contains("root:"), "{path}");
    }
    // Read-only.
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    assert!(r.starts_with("HTTP/1.1 405"), "{r}");
}
