//! A small client for the RabbitMQ management HTTP API: GET a path as JSON,
//! with failures classified in the operator's words (unreachable, credentials,
//! timeout, unexpected response).

use std::time::Duration;

use super::http::{MAX_BODY_BYTES, RequestFailure, classify, client, read_body};
use super::human_duration;
use super::text::{excerpt, mask_url};

/// Why the management API gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The base URL is malformed.
    #[error("management API URL {0} is not valid: {1}")]
    BadUrl(String, String),
    /// Connection refused or host not found.
    #[error("management API unreachable at {0} — is the plugin enabled? ({1})")]
    Unreachable(String, String),
    /// HTTP 401.
    #[error("credentials rejected by the management API ({0})")]
    Credentials(String),
    /// No answer in time.
    #[error("management API at {0} did not answer within {1}")]
    Timeout(String, String),
    /// Anything else: a 404/500, a body that is not the JSON we expect.
    #[error("unexpected response from the management API: {0}")]
    Unexpected(String),
}

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
        }
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
        let client = client().map_err(ApiError::Unexpected)?;
        let req = client
            .get(&url)
            .basic_auth(&self.user, Some(&self.password))
            .timeout(self.timeout);
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                return Err(match classify(&e) {
                    RequestFailure::Refused => {
                        ApiError::Unreachable(self.shown(), "connection refused".into())
                    }
                    RequestFailure::Resolve(t) => ApiError::Unreachable(
                        self.shown(),
                        format!("name resolution failed: {}", mask_url(&t)),
                    ),
                    RequestFailure::TimedOut => {
                        ApiError::Timeout(self.shown(), human_duration(self.timeout))
                    }
                    RequestFailure::Other(t) => ApiError::Unreachable(self.shown(), mask_url(&t)),
                });
            }
        };
        let status = resp.status().as_u16();
        let body = match tokio::time::timeout(self.timeout, read_body(resp, MAX_BODY_BYTES)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                return Err(ApiError::Unexpected(format!(
                    "GET {}{path}: {e}",
                    self.shown()
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
                    return Err(ApiError::Unexpected(format!(
                        "GET {path} returned HTTP {status} with a non-JSON body: {}",
                        excerpt(body.trim(), 200)
                    )));
                }
            }
        };
        if status == 401 {
            return Err(ApiError::Credentials(credentials_reason(&self.user, &json)));
        }
        Ok((status, json))
    }

    /// Like [`Api::get`] but anything other than 200 is an error.
    pub async fn get_ok(&self, path: &str) -> Result<serde_json::Value, ApiError> {
        match self.get(path).await? {
            (200, v) => Ok(v),
            (status, v) => Err(ApiError::Unexpected(format!(
                "GET {path} returned HTTP {status}: {}",
                excerpt(&v.to_string(), 200)
            ))),
        }
    }
}

/// Explains a 401 body. RabbitMQ spells it two ways: `not_authorized` for a
/// bad user or password, `not_authorised` for a missing tag or a
/// loopback-only user.
pub fn credentials_reason(user: &str, body: &serde_json::Value) -> String {
    let error = body.get("error").and_then(|v| v.as_str()).unwrap_or("");
    let reason = body.get("reason").and_then(|v| v.as_str()).unwrap_or("");
    let lower = reason.to_lowercase();
    if lower.contains("not management user") {
        format!(
            "user {user:?} lacks a management tag; rabbitmqctl set_user_tags {user} monitoring — {error}: {reason}"
        )
    } else if lower.contains("only log in via localhost") {
        format!("user {user:?} may only log in from localhost (loopback_users) — {error}: {reason}")
    } else if error == "not_authorized" || lower.contains("login failed") {
        format!("wrong user or password for {user:?} — {error}: {reason}")
    } else if error.is_empty() && reason.is_empty() {
        format!("HTTP 401 for user {user:?}")
    } else {
        format!("user {user:?} — {error}: {reason}")
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
        );
        assert!(bad.starts_with("wrong user or password"), "{bad}");
        let tag = credentials_reason(
            "bob",
            &json!({"error":"not_authorised","reason":"Not management user"}),
        );
        assert!(tag.contains("lacks a management tag"), "{tag}");
        let lo = credentials_reason(
            "guest",
            &json!({"error":"not_authorised","reason":"User can only log in via localhost"}),
        );
        assert!(lo.contains("only log in from localhost"), "{lo}");
        let e = ApiError::Credentials(bad);
        assert!(
            e.to_string()
                .starts_with("credentials rejected by the management API (wrong user")
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
