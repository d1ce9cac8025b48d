//! The error overlay of the preview: when a rebuild fails, every page the
//! server sends (and every open tab, through the live-reload channel)
//! shows the problems on top of the last good page, each exactly as the
//! terminal prints it. Fixed-position, announced (`role="alert"`), with a
//! heading and a close button; it never reaches the files on disk.

pub use crate::resolve::html_escape as escape;

/// The element's id; `reload.js` replaces or removes it by this id.
pub const ID: &str = "__explainer-overlay";

/// The overlay listing `problems` (each a diagnostic as printed).
pub fn render(problems: &[String]) -> String {
    let count = crate::commands::problems(problems.len());
    let mut items = String::new();
    for problem in problems {
        items.push_str("<pre>");
        items.push_str(&escape(problem));
        items.push_str("</pre>\n");
    }
    format!(
        r#"<div id="{ID}" role="alert" aria-labelledby="{ID}-title">
<style>{STYLE}</style>
<div class="box">
<h2 id="{ID}-title">{count} in the site: showing the last good build</h2>
<button type="button" data-explainer-close aria-label="Close the error overlay">&#x2715;</button>
<p>Fix the file and save it: this page updates by itself.</p>
{items}</div>
</div>
"#
    )
}

/// Scoped to the overlay's id so it neither takes nor gives styles to the
/// page; light text on a dark panel (contrast above 12:1) in both schemes.
const STYLE: &str = "\
#__explainer-overlay{position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.55);\
overflow:auto;padding:2rem 1rem;font:16px/1.5 system-ui,sans-serif}\
#__explainer-overlay .box{position:relative;max-width:60rem;margin:0 auto;padding:1.25rem 1.5rem;\
background:#1b1b1f;color:#f3f3f3;border-top:6px solid #ff6b6b;border-radius:6px;\
box-shadow:0 8px 30px rgba(0,0,0,.5)}\
#__explainer-overlay h2{margin:0 2.5rem .5rem 0;font-size:1.2rem;color:#ff9b9b}\
#__explainer-overlay p{margin:0 0 1rem}\
#__explainer-overlay pre{margin:0 0 1rem;padding:.75rem;background:#000;color:#f3f3f3;\
overflow:auto;white-space:pre;font:14px/1.45 ui-monospace,monospace;border-radius:4px}\
#__explainer-overlay button{position:absolute;top:.75rem;right:.75rem;width:2.25rem;height:2.25rem;\
font-size:1.1rem;line-height:1;color:#f3f3f3;background:transparent;border:1px solid #8a8a8a;\
border-radius:4px;cursor:pointer}\
#__explainer-overlay button:focus-visible{outline:3px solid #ffd166;outline-offset:2px}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_problem_escaped() {
        let html = render(&[
            "content/a.md:2:3: unknown actor \"<b>\"\n  |\n2 | x".into(),
            "content/b.md:1:1: bad".into(),
        ]);
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("2 problems in the site"));
        assert!(html.contains(
            "<pre>content/a.md:2:3: unknown actor &quot;&lt;b&gt;&quot;\n  |\n2 | x</pre>"
        ));
        assert!(html.contains("<pre>content/b.md:1:1: bad</pre>"));
        assert!(html.contains("<button type=\"button\""));
        assert!(!html.contains("<b>"));
    }
}
