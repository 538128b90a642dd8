//! Fetching bundle files: gloo-net with a timeout, and errors worded for readers.

use gloo_net::http::Request;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{AbortController, RequestCache, RequestInit};

/// A request that has not answered (headers and body) after this long is abandoned.
pub const TIMEOUT_MS: i32 = 10_000;

/// How a fetch goes: `revalidate` asks the browser to check with the server instead of
/// trusting its cache (the index always; a chunk when retrying); `background` marks it low
/// priority, so requests a reader waits for are sent first (search's excerpts, fetched
/// twenty at a time, must not hold up the index shard the next keystroke needs).
#[derive(Clone, Copy, Default)]
pub struct Fetch {
    pub revalidate: bool,
    pub background: bool,
}

/// GETs `url` as text.
pub async fn fetch_text(url: &str, how: Fetch) -> Result<String, String> {
    // One download path for text and bytes keeps the Wasm small; UTF-8 is checked here.
    String::from_utf8(fetch_bytes(url, how).await?)
        .map_err(|_| "the file is not valid UTF-8 text".to_string())
}

/// GETs `url` as bytes (the search index's shards).
pub async fn fetch_bytes(url: &str, how: Fetch) -> Result<Vec<u8>, String> {
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
    let cache = if how.revalidate {
        RequestCache::NoCache
    } else {
        RequestCache::Default
    };
    let result = async {
        // gloo-net sends the request and reads the answer; the request itself is built
        // with web-sys, which skips gloo's builder (method parsing, query and header
        // merging) and its share of the Wasm byte budget.
        let init = RequestInit::new();
        init.set_cache(cache);
        init.set_signal(Some(&signal));
        if how.background {
            // Not in this web-sys's RequestInit yet; browsers without it ignore it.
            let _ = js_sys::Reflect::set(&init, &"priority".into(), &"low".into());
        }
        let request = web_sys::Request::new_with_str_and_init(url, &init)
            .map_err(|_| "the address of the file is not valid".to_string())?;
        let response = Request::from(request)
            .send()
            .await
            .map_err(|_| "the server could not be reached".to_string())?;
        if !response.ok() {
            return Err(format!(
                "the server answered {} (HTTP {})",
                if response.status() == 404 {
                    "that the file does not exist"
                } else {
                    "with an error"
                },
                response.status()
            ));
        }
        response
            .binary()
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
