//! A small client for the RabbitMQ management HTTP API: GET a path as JSON,
//! with failures classified in the operator's words (unreachable, credentials,
//! timeout, unexpected response).

use std::time::Duration;

use super::http::{MAX_BODY_BYTES, RequestFailure, classify, client, read_body};
use super::human_duration;
use super::text::{about, excerpt, mask_url};
use crate::i18n::{Lang, tr, trf};

/// Why the management API gave no usable answer. The details are in the
/// language of the [`Api`] that answered; [`ApiError::describe`] says the
/// whole in a language, Display in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The base URL is malformed.
    BadUrl(String, String),
    /// Connection refused or host not found.
    Unreachable(String, String),
    /// HTTP 401.
    Credentials(String),
    /// No answer in time.
    Timeout(String, String),
    /// Anything else: a 404/500, a body that is not the JSON we expect.
    Unexpected(String),
}

impl ApiError {
    /// The failure in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            ApiError::BadUrl(url, why) => {
                trf(lang, "management API URL {} is not valid: {}", &[url, why])
            }
            ApiError::Unreachable(url, why) => trf(
                lang,
                "management API unreachable at {} — is the plugin enabled? ({})",
                &[url, why],
            ),
            ApiError::Credentials(why) => trf(
                lang,
                "credentials rejected by the management API ({})",
                &[why],
            ),
            ApiError::Timeout(url, limit) => trf(
                lang,
                "management API at {} did not answer within {}",
                &[url, limit],
            ),
            ApiError::Unexpected(why) => trf(
                lang,
                "unexpected response from the management API: {}",
                &[why],
            ),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

impl std::error::Error for ApiError {}

/// Connection details of one management API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:15672`.
    pub base: String,
    /// User.
    pub user: String,
    /// Password (never shown).
    pub password: String,
    /// Per-request limit.
    pub timeout: Duration,
    /// The language of the errors' details (English unless
    /// [`Api::in_lang`] says otherwise).
    pub lang: Lang,
}

impl Api {
    /// A client for `base` (trailing `/` and `/api` tolerated).
    pub fn new(base: &str, user: &str, password: &str, timeout: Duration) -> Self {
        let mut b = base.trim().trim_end_matches('/').to_string();
        if let Some(stripped) = b.strip_suffix("/api") {
            b = stripped.to_string();
        }
        Api {
            base: b,
            user: user.to_string(),
            password: password.to_string(),
            timeout,
            lang: Lang::En,
        }
    }

    /// The same client, its errors' details told in `lang`.
    pub fn in_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// The base URL as it may be shown (password masked).
    pub fn shown(&self) -> String {
        mask_url(&self.base)
    }

    /// GETs `path` (starting with `/api/`) and returns the HTTP status and
    /// parsed JSON body (`Null` for an empty body). 401 is an error; other
    /// statuses are returned for the caller to judge (health checks use 503).
    pub async fn get(&self, path: &str) -> Result<(u16, serde_json::Value), ApiError> {
        let url = format!("{}{}", self.base, path);
        if let Err(e) = url::Url::parse(&url) {
            return Err(ApiError::BadUrl(self.shown(), e.to_string()));
        }
        let lang = self.lang;
        let client = client(lang).map_err(ApiError::Unexpected)?;
        let req = client
            .get(&url)
            .basic_auth(&self.user, Some(&self.password))
            .timeout(self.timeout);
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                return Err(match classify(&e) {
                    RequestFailure::Refused => ApiError::Unreachable(
                        self.shown(),
                        tr(lang, "connection refused").to_string(),
                    ),
                    RequestFailure::Resolve(t) => ApiError::Unreachable(
                        self.shown(),
                        trf(lang, "name resolution failed: {}", &[&mask_url(&t)]),
                    ),
                    RequestFailure::TimedOut => {
                        ApiError::Timeout(self.shown(), human_duration(self.timeout))
                    }
                    RequestFailure::Other(t) => {
                        ApiError::Unreachable(self.shown(), RequestFailure::other_cause(&t, lang))
                    }
                });
            }
        };
        let status = resp.status().as_u16();
        let body = match tokio::time::timeout(self.timeout, read_body(resp, MAX_BODY_BYTES)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                return Err(ApiError::Unexpected(about(
                    lang,
                    &format!("GET {}{path}", self.shown()),
                    &e.describe(lang),
                )));
            }
            Err(_) => {
                return Err(ApiError::Timeout(
                    self.shown(),
                    human_duration(self.timeout),
                ));
            }
        };
        let json = if body.trim().is_empty() {
            serde_json::Value::Null
        } else {
            match serde_json::from_str(&body) {
                Ok(v) => v,
                Err(_) => {
                    return Err(ApiError::Unexpected(trf(
                        lang,
                        "GET {} returned HTTP {} with a non-JSON body: {}",
                        &[&path, &status, &excerpt(body.trim(), 200, lang)],
                    )));
                }
            }
        };
        if status == 401 {
            return Err(ApiError::Credentials(credentials_reason(
                &self.user, &json, lang,
            )));
        }
        Ok((status, json))
    }

    /// Like [`Api::get`] but anything other than 200 is an error.
    pub async fn get_ok(&self, path: &str) -> Result<serde_json::Value, ApiError> {
        match self.get(path).await? {
            (200, v) => Ok(v),
            (status, v) => Err(ApiError::Unexpected(trf(
                self.lang,
                "GET {} returned HTTP {}: {}",
                &[&path, &status, &excerpt(&v.to_string(), 200, self.lang)],
            ))),
        }
    }
}

/// Explains a 401 body. RabbitMQ spells it two ways: `not_authorized` for a
/// bad user or password, `not_authorised` for a missing tag or a
/// loopback-only user. Said in `lang`.
pub fn credentials_reason(user: &str, body: &serde_json::Value, lang: Lang) -> String {
    let error = body.get("error").and_then(|v| v.as_str()).unwrap_or("");
    let reason = body.get("reason").and_then(|v| v.as_str()).unwrap_or("");
    let lower = reason.to_lowercase();
    let quoted = format!("{user:?}");
    if lower.contains("not management user") {
        trf(
            lang,
            "user {} lacks a management tag; rabbitmqctl set_user_tags {} monitoring — {}: {}",
            &[&quoted, &user, &error, &reason],
        )
    } else if lower.contains("only log in via localhost") {
        trf(
            lang,
            "user {} may only log in from localhost (loopback_users) — {}: {}",
            &[&quoted, &error, &reason],
        )
    } else if error == "not_authorized" || lower.contains("login failed") {
        trf(
            lang,
            "wrong user or password for {} — {}: {}",
            &[&quoted, &error, &reason],
        )
    } else if error.is_empty() && reason.is_empty() {
        trf(lang, "HTTP 401 for user {}", &[&quoted])
    } else {
        trf(lang, "user {} — {}: {}", &[&quoted, &error, &reason])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_spellings_of_401_are_explained() {
        let bad = credentials_reason(
            "bob",
            &json!({"error":"not_authorized","reason":"Login failed"}),
            Lang::En,
        );
        assert!(bad.starts_with("wrong user or password"), "{bad}");
        let tag = credentials_reason(
            "bob",
            &json!({"error":"not_authorised","reason":"Not management user"}),
            Lang::En,
        );
        assert!(tag.contains("lacks a management tag"), "{tag}");
        let lo = credentials_reason(
            "guest",
            &json!({"error":"not_authorised","reason":"User can only log in via localhost"}),
            Lang::En,
        );
        assert!(lo.contains("only log in from localhost"), "{lo}");
        let e = ApiError::Credentials(bad);
        assert!(
            e.to_string()
                .starts_with("credentials rejected by the management API (wrong user")
        );
    }

    #[test]
    fn a_chinese_incident_reads_the_api_failures_in_chinese() {
        let bad = credentials_reason(
            "bob",
            &json!({"error":"not_authorized","reason":"Login failed"}),
            Lang::Zh,
        );
        assert_eq!(
            bad,
            "\"bob\" 的用户名或密码错误——not_authorized: Login failed"
        );
        let e = ApiError::Credentials(bad);
        assert_eq!(
            e.describe(Lang::Zh),
            "管理 API 拒绝了凭据（\"bob\" 的用户名或密码错误——not_authorized: Login failed）"
        );
        let down = ApiError::Unreachable("http://h:15672".into(), "连接被拒绝".into());
        assert_eq!(
            down.describe(Lang::Zh),
            "管理 API http://h:15672 不可达——插件是否已启用？（连接被拒绝）"
        );
        assert_eq!(
            ApiError::Timeout("http://h".into(), "4s".into()).to_string(),
            "management API at http://h did not answer within 4s"
        );
    }

    #[test]
    fn base_url_is_normalised_and_masked() {
        let a = Api::new(
            "http://u:pw@h:15672/api/",
            "u",
            "pw",
            Duration::from_secs(1),
        );
        assert_eq!(a.base, "http://u:pw@h:15672");
        assert!(!a.shown().contains("pw"));
    }
}
