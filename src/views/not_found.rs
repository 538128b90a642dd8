//! The view for any address that is not a page of the site.

use leptos::prelude::*;
use quire_core::Route;

use crate::state::use_state;

#[component]
pub fn NotFound() -> impl IntoView {
    let s = use_state();
    let b = &s.base;
    view! {
        <div class="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. The post may have moved, or the link may be mistyped."</p>
            <p>
                <a href=Route::Home { page: 1 }.href(b)>"Read the latest posts"</a>
                ", browse the "
                <a href=Route::Archive.href(b)>"archive"</a>
                " or pick a "
                <a href=Route::Tags.href(b)>"tag"</a>
                "."
            </p>
        </div>
    }
}
