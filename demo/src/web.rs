//! The browser's side of the server: CORS for gRPC-Web callers, and the
//! built chat page (`scripts/web-build.sh` writes it to `demo/web/dist`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::routing::get;
use http::header::{
    ACCEPT_LANGUAGE, AUTHORIZATION, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use http::{HeaderName, HeaderValue, Method, Response, StatusCode};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Where `scripts/web-build.sh` puts the page, in this source tree.
pub const DEFAULT_WEB_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/web/dist");

/// The browser origins that may call the service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// Any origin: the demo has no cookies, so a page elsewhere can do no
    /// more than any other client could.
    #[default]
    Any,
    /// Only these, e.g. `https://chat.example.com`.
    Only(Vec<HeaderValue>),
}

impl AllowedOrigins {
    /// Parses `--allow-origin` values: `*` for any, else `scheme://host[:port]`.
    ///
    /// # Errors
    ///
    /// A message naming the value that is not an origin.
    pub fn parse<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<AllowedOrigins, String> {
        let mut origins = Vec::new();
        for value in values {
            if value == "*" {
                return Ok(AllowedOrigins::Any);
            }
            if !is_origin(value) {
                return Err(format!(
                    "--allow-origin {value:?}: expected * or scheme://host[:port], e.g. http://localhost:8080"
                ));
            }
            origins.push(HeaderValue::from_str(value).map_err(|error| error.to_string())?);
        }
        Ok(if origins.is_empty() {
            AllowedOrigins::Any
        } else {
            AllowedOrigins::Only(origins)
        })
    }
}

fn is_origin(value: &str) -> bool {
    let Some((scheme, host)) = value.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme.bytes().all(|b| b.is_ascii_lowercase())
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}

/// The request headers a gRPC-Web client sends besides the safelisted ones.
const ALLOWED_HEADERS: [HeaderName; 7] = [
    CONTENT_TYPE,
    AUTHORIZATION,
    ACCEPT_LANGUAGE,
    HeaderName::from_static("x-grpc-web"),
    HeaderName::from_static("x-user-agent"),
    HeaderName::from_static("grpc-timeout"),
    HeaderName::from_static("x-request-id"),
];

/// What a browser may read of a response: the status, whether it comes in
/// the headers of a trailers-only response or in the trailer frame, which
/// the page reads from the body.
const EXPOSED_HEADERS: [HeaderName; 3] = [
    HeaderName::from_static("grpc-status"),
    HeaderName::from_static("grpc-message"),
    HeaderName::from_static("grpc-status-details-bin"),
];

/// CORS for gRPC-Web calls from pages on `origins`.
pub fn cors(origins: &AllowedOrigins) -> CorsLayer {
    let allow_origin = match origins {
        AllowedOrigins::Any => AllowOrigin::any(),
        AllowedOrigins::Only(list) => AllowOrigin::list(list.iter().cloned()),
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::POST])
        .allow_headers(ALLOWED_HEADERS)
        .expose_headers(EXPOSED_HEADERS)
        .max_age(Duration::from_secs(3600))
}

/// `router` with the page in `dir` at `/` and its files beside it.
pub fn add_page(router: Router, dir: &Path) -> Router {
    let page = Router::new()
        .route("/", get(index))
        .route("/{file}", get(file))
        .with_state(dir.to_path_buf());
    router.merge(page)
}

async fn index(State(dir): State<PathBuf>) -> Response<Body> {
    serve(&dir, "index.html").await
}

async fn file(State(dir): State<PathBuf>, UrlPath(name): UrlPath<String>) -> Response<Body> {
    serve(&dir, &name).await
}

/// The file `name` of the page. Only flat names with a known extension are
/// served, so no request can reach outside `dir`.
async fn serve(dir: &Path, name: &str) -> Response<Body> {
    let Some(content_type) = content_type(name) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    match tokio::fs::read(dir.join(name)).await {
        Ok(content) => Response::builder()
            .header(CONTENT_TYPE, content_type)
            .header(CACHE_CONTROL, "no-cache")
            .header(X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(
                CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            )
            .body(Body::from(content))
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "bad header\n")),
        Err(_) if name == "index.html" => plain(
            StatusCode::NOT_FOUND,
            "The web chat is not built: run scripts/web-build.sh.\n",
        ),
        Err(_) => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

fn content_type(name: &str) -> Option<&'static str> {
    let (stem, extension) = name.rsplit_once('.')?;
    let flat = !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !stem.starts_with('.');
    if !flat {
        return None;
    }
    Some(match extension {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "map" => "application/json",
        _ => return None,
    })
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_flat_names_with_known_extensions_are_served() {
        assert_eq!(
            content_type("app.js"),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(content_type("index.html"), Some("text/html; charset=utf-8"));
        for refused in [
            "../secret.js",
            ".env.js",
            "app.exe",
            "app",
            "a/b.css",
            ".js",
            "a%2f.js",
        ] {
            assert_eq!(content_type(refused), None, "{refused}");
        }
    }

    #[test]
    fn origins_are_any_by_default_or_the_list_given() {
        assert_eq!(AllowedOrigins::parse([]), Ok(AllowedOrigins::Any));
        assert_eq!(AllowedOrigins::parse(["*"]), Ok(AllowedOrigins::Any));
        assert_eq!(
            AllowedOrigins::parse(["http://localhost:8080", "https://chat.example.com"]),
            Ok(AllowedOrigins::Only(vec![
                HeaderValue::from_static("http://localhost:8080"),
                HeaderValue::from_static("https://chat.example.com"),
            ]))
        );
        for refused in ["localhost:8080", "http://", "http://a b", "HTTP://x"] {
            assert!(AllowedOrigins::parse([refused]).is_err(), "{refused}");
        }
    }
}
