//! Fetching bundle files: gloo-net with a timeout, and errors worded for readers.

use gloo_net::http::Request;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{AbortController, RequestCache};

/// A request that has not answered (headers and body) after this long is abandoned.
pub const TIMEOUT_MS: i32 = 10_000;

/// GETs `url` as text. `revalidate` asks the browser to check with the server instead of
/// trusting its cache (the index always; a chunk when retrying).
pub async fn fetch_text(url: &str, revalidate: bool) -> Result<String, String> {
    let controller = AbortController::new().map_err(|_| "the browser cannot fetch".to_string())?;
    let signal = controller.signal();
    let on_timeout = Closure::once(move || controller.abort());
    let window = web_sys::window().expect("a window");
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            TIMEOUT_MS,
        )
        .ok();
    let cache = if revalidate {
        RequestCache::NoCache
    } else {
        RequestCache::Default
    };
    let result = async {
        let response = Request::get(url)
            .cache(cache)
            .abort_signal(Some(&signal))
            .send()
            .await
            .map_err(|_| "the server could not be reached".to_string())?;
        if !response.ok() {
            let status = response.status();
            let text = response.status_text();
            return Err(match status {
                404 => "the file was not found on the server (404)".to_string(),
                _ if text.is_empty() => format!("the server answered with an error ({status})"),
                _ => format!("the server answered with an error ({status} {text})"),
            });
        }
        response
            .text()
            .await
            .map_err(|_| "the download broke off".to_string())
    }
    .await;
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    drop(on_timeout);
    if signal.aborted() {
        return Err(format!(
            "the server did not answer within {} seconds",
            TIMEOUT_MS / 1000
        ));
    }
    result
}
