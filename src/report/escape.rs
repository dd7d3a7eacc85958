//! Escaping of text that comes from scenario files and logs, which are
//! untrusted: a title must never become markup in a report.

/// Text for HTML element content and quoted attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text for Markdown prose: HTML specials become entities (most Markdown
/// renderers pass raw HTML through), and a line break stays inside the
/// paragraph.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text for a Markdown table cell: as [`md`], and `|` cannot end the cell.
pub fn md_cell(text: &str) -> String {
    md(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_cell_breaks_are_neutralised() {
        assert_eq!(
            html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(md_cell("a | b <i>\nc"), "a \\| b &lt;i&gt; c");
        assert_eq!(md("C:\\path `x`"), "C:\\\\path \\`x\\`");
    }
}
