//! What `quire serve` needs besides a build: an HTTP server for a built site on
//! 127.0.0.1 with a live-reload endpoint ([`http`]), and a file watcher that reports when
//! the content folder has settled after a change ([`watch`]). Like the stages, nothing
//! here prints; `cmd::serve` runs the loop and says what happens.

pub mod http;
pub mod watch;

/// The script every page `quire serve` writes carries (never `quire build`): it waits on
/// [`http::RELOAD_PATH`] for a new build and reloads the page when one is served. It goes
/// through the template like the shell's own scripts, so its hash is in the page's policy.
pub const RELOAD_SCRIPT: &str = "<script>(()=>{let v=null;const poll=()=>fetch(\"/__quire/reload?since=\"+(v===null?\"\":v),{cache:\"no-store\"}).then(r=>r.text()).then(t=>{if(v!==null&&t!==v){location.reload();return}v=t;poll()},()=>setTimeout(poll,1000));poll()})();</script>";
