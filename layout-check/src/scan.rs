//! What one file says about modules: the `mod` declarations it makes and the module paths
//! it refers to, each with the inline module (`mod tests { … }`) it stands in.

/// A token of Rust source, as far as module paths need it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
    /// A string literal's text as written (escapes kept).
    Str(String),
}

/// A `mod name;` declaration: a module in a file of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModDecl {
    /// The inline modules it is declared in, from the file's own module down.
    pub inline: Vec<String>,
    /// Its name.
    pub name: String,
    /// A `#[path = "…"]` attribute's file, relative to the declaring file's directory.
    pub path: Option<String>,
    /// Declared under `#[cfg(test)]`: a test-only file, whose imports are not the crate's
    /// structure (see [`FileScan`]).
    pub test: bool,
}

/// A path that names something of the same crate (or might: a first segment that is not
/// `crate`, `super` or `self` is checked against the declared child modules later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRef {
    /// The inline modules the reference stands in.
    pub inline: Vec<String>,
    /// The segments, `crate`/`super`/`self` included, without a glob or a rename.
    pub segments: Vec<String>,
    /// The 1-based line it starts on, for the report.
    pub line: usize,
}

/// Everything [`scan`] found in one file. References made inside an inline module under
/// `#[cfg(test)]` (a file's unit tests) are left out: tests may use any layer above the
/// code they test, and nothing imports them back.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileScan {
    /// `mod name;` declarations.
    pub mods: Vec<ModDecl>,
    /// Inline modules (`mod name { … }`), as paths of names from the file's module.
    pub inline_mods: Vec<Vec<String>>,
    /// Paths from `use` declarations.
    pub uses: Vec<PathRef>,
    /// `crate::…`, `super::…` and `self::…` paths outside `use` declarations.
    pub inline_paths: Vec<PathRef>,
}

/// Reads one file's source.
pub fn scan(source: &str) -> FileScan {
    let tokens = tokenize(source);
    let mut out = FileScan::default();
    // Inline modules open at a brace depth: (name, depth of its `{`).
    let mut inline: Vec<(String, usize)> = Vec::new();
    // Depths of the inline modules under `#[cfg(test)]` that are open.
    let mut test_depths: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let (line, token) = &tokens[i];
        match token {
            Token::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Token::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                if test_depths.last() == Some(&depth) {
                    test_depths.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Token::Ident(word) if word == "mod" && !after_path_sep(&tokens, i) => {
                match (tokens.get(i + 1), tokens.get(i + 2)) {
                    (Some((_, Token::Ident(name))), Some((_, Token::Punct(';')))) => {
                        let path = path_attribute(&tokens, i);
                        let test = !test_depths.is_empty() || cfg_test(&tokens, i);
                        out.mods.push(ModDecl {
                            inline: names(&inline),
                            name: name.clone(),
                            path,
                            test,
                        });
                        i += 3;
                    }
                    (Some((_, Token::Ident(name))), Some((_, Token::Punct('{')))) => {
                        depth += 1;
                        if cfg_test(&tokens, i) {
                            test_depths.push(depth);
                        }
                        inline.push((name.clone(), depth));
                        out.inline_mods.push(names(&inline));
                        i += 3;
                    }
                    _ => i += 1,
                }
            }
            Token::Ident(word) if word == "use" && !after_path_sep(&tokens, i) => {
                let end = tokens[i..]
                    .iter()
                    .position(|(_, t)| *t == Token::Punct(';'))
                    .map_or(tokens.len(), |p| i + p);
                let mut paths = Vec::new();
                use_tree(&tokens[i + 1..end], &mut Vec::new(), &mut paths);
                let here = names(&inline);
                if !test_depths.is_empty() {
                    paths.clear();
                }
                out.uses.extend(paths.into_iter().map(|segments| PathRef {
                    inline: here.clone(),
                    segments,
                    line: *line,
                }));
                i = end + 1;
            }
            Token::Ident(word)
                if matches!(word.as_str(), "crate" | "super" | "self")
                    && !after_path_sep(&tokens, i)
                    && matches!(tokens.get(i + 1), Some((_, Token::PathSep))) =>
            {
                let mut segments = vec![word.clone()];
                let mut j = i + 1;
                while let (Some((_, Token::PathSep)), Some((_, Token::Ident(next)))) =
                    (tokens.get(j), tokens.get(j + 1))
                {
                    segments.push(next.clone());
                    j += 2;
                }
                out.inline_paths.push(PathRef {
                    inline: names(&inline),
                    segments,
                    line: *line,
                });
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

fn names(inline: &[(String, usize)]) -> Vec<String> {
    inline.iter().map(|(name, _)| name.clone()).collect()
}

/// Whether the declaration at `i` carries `#[cfg(test)]`.
fn cfg_test(tokens: &[(usize, Token)], i: usize) -> bool {
    attributes(tokens, i).iter().any(|attr| {
        matches!(attr, [(_, Token::Ident(cfg)), (_, Token::Punct('(')), (_, Token::Ident(test)), (_, Token::Punct(')'))] if cfg == "cfg" && test == "test")
    })
}

/// The attributes right before the declaration at `i` (after a visibility), each as the
/// tokens between its `#[` and `]`.
fn attributes(tokens: &[(usize, Token)], i: usize) -> Vec<&[(usize, Token)]> {
    let mut found = Vec::new();
    let mut j = i;
    if j > 0 && tokens[j - 1].1 == Token::Ident("pub".into()) {
        j -= 1;
    } else if j >= 4 && tokens[j - 1].1 == Token::Punct(')') && tokens[j - 4].1 == Token::Ident("pub".into())
    {
        j -= 4;
    }
    while j > 0 && tokens[j - 1].1 == Token::Punct(']') {
        let Some(open) = (0..j - 1).rev().find(|&k| tokens[k].1 == Token::Punct('[')) else {
            break;
        };
        if open == 0 || tokens[open - 1].1 != Token::Punct('#') {
            break;
        }
        found.push(&tokens[open + 1..j - 1]);
        j = open - 1;
    }
    found
}

/// The `#[path = "…"]` attribute right before the declaration at `i` (after `pub` or
/// `pub(crate)` and other attributes), if any.
fn path_attribute(tokens: &[(usize, Token)], i: usize) -> Option<String> {
    attributes(tokens, i).into_iter().find_map(|attr| match attr {
        [
            (_, Token::Ident(name)),
            (_, Token::Punct('=')),
            (_, Token::Str(file)),
        ] if name == "path" => Some(file.clone()),
        _ => None,
    })
}

/// Whether the token at `i` continues a path (`a::mod` is no declaration).
fn after_path_sep(tokens: &[(usize, Token)], i: usize) -> bool {
    i > 0 && tokens[i - 1].1 == Token::PathSep
}

/// The paths of a use tree: `a::b::{c, d::*, e as f}` gives `a::b::c`, `a::b::d`, `a::b::e`.
fn use_tree(tokens: &[(usize, Token)], prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix.clone();
    let mut i = 0;
    // A leading `::` names an extern crate: nothing of this crate.
    if matches!(tokens.first(), Some((_, Token::PathSep))) {
        return;
    }
    while i < tokens.len() {
        match &tokens[i].1 {
            Token::Ident(word) if word == "as" => {
                // A rename: the path is complete; skip the new name.
                out.push(path.clone());
                return;
            }
            Token::Ident(word) => {
                path.push(word.clone());
                i += 1;
            }
            Token::PathSep => i += 1,
            Token::Punct('*') => {
                out.push(path.clone());
                return;
            }
            Token::Punct('{') => {
                let close = matching_brace(tokens, i);
                for part in split_top_level(&tokens[i + 1..close]) {
                    use_tree(part, &mut path.clone(), out);
                }
                return;
            }
            _ => i += 1,
        }
    }
    if !path.is_empty() && path.len() > prefix.len() {
        out.push(path);
    } else if !path.is_empty() && path == *prefix {
        // `a::{self}`: the module itself.
        out.push(path);
    }
}

fn matching_brace(tokens: &[(usize, Token)], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, (_, t)) in tokens.iter().enumerate().skip(open) {
        match t {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

fn split_top_level(tokens: &[(usize, Token)]) -> Vec<&[(usize, Token)]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (k, (_, t)) in tokens.iter().enumerate() {
        match t {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => depth = depth.saturating_sub(1),
            Token::Punct(',') if depth == 0 => {
                parts.push(&tokens[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[start..]);
    // `self` inside a group names the prefix itself.
    parts.retain(|p| !p.is_empty());
    parts
}

/// Identifiers, `::` and single punctuation, with their lines; comments, strings, raw
/// strings, byte strings and character literals skipped.
fn tokenize(source: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0usize;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            let end = skip_string(&chars, i + 1, &mut line);
            let text: String = chars[i + 1..end.saturating_sub(1).max(i + 1)].iter().collect();
            tokens.push((line, Token::Str(text)));
            i = end;
        } else if (c == 'r' || c == 'b') && raw_string_start(&chars, i).is_some() {
            let (hashes, body) = raw_string_start(&chars, i).unwrap_or((0, i + 1));
            i = skip_raw_string(&chars, body, hashes, &mut line);
        } else if c == 'b' && next == Some('"') {
            i = skip_string(&chars, i + 2, &mut line);
        } else if c == 'b' && next == Some('\'') {
            i = skip_char(&chars, i + 1);
        } else if c == '\'' {
            i = skip_char(&chars, i);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.strip_prefix("r#").map(str::to_string).unwrap_or(word);
            tokens.push((line, Token::Ident(word)));
        } else if c == ':' && next == Some(':') {
            tokens.push((line, Token::PathSep));
            i += 2;
        } else {
            tokens.push((line, Token::Punct(c)));
            i += 1;
        }
    }
    tokens
}

fn skip_string(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            '\n' => {
                *line += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// `r"`, `r#"`, `br"`, `br#"`: the number of hashes and where the body starts.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    // An identifier ending in b or r (`attr"` cannot happen, but `for r in`) must not start one.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some((hashes, j + 1))
}

fn skip_raw_string(chars: &[char], mut i: usize, hashes: usize, line: &mut usize) -> usize {
    while i < chars.len() {
        if chars[i] == '\n' {
            *line += 1;
        }
        if chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// A character literal (`'a'`, `'\n'`, `'\u{1F600}'`) or a lifetime (`'a`): past it.
fn skip_char(chars: &[char], i: usize) -> usize {
    // i is at the opening quote.
    match (chars.get(i + 1), chars.get(i + 2)) {
        (Some('\\'), _) => {
            let mut j = i + 2;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            j + 1
        }
        (Some(_), Some('\'')) => i + 3,
        // A lifetime or label: only the quote is skipped, the name is read as an identifier.
        _ => i + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(refs: &[PathRef]) -> Vec<String> {
        refs.iter().map(|r| r.segments.join("::")).collect()
    }

    #[test]
    fn use_trees_expand_to_paths() {
        let scan =
            scan("use crate::a::{b, c::{d, e as f}, g::*};\npub(crate) use super::h;\nuse std::fmt;\n");
        assert_eq!(
            paths(&scan.uses),
            [
                "crate::a::b",
                "crate::a::c::d",
                "crate::a::c::e",
                "crate::a::g",
                "super::h",
                "std::fmt"
            ]
        );
        assert_eq!(scan.uses[4].line, 2);
    }

    #[test]
    fn mod_declarations_and_inline_modules() {
        let scan = scan(
            "mod a;\npub mod b;\n#[cfg(test)]\nmod tests {\n    use super::*;\n    mod deeper;\n}\nfn f() { crate::c::g(); }\n",
        );
        let mods: Vec<_> = scan
            .mods
            .iter()
            .map(|m| (m.inline.join("/"), m.name.as_str()))
            .collect();
        assert!(scan.mods.iter().all(|m| m.path.is_none()));
        assert!(
            !scan.mods[0].test && scan.mods[2].test,
            "deeper is declared inside the tests"
        );
        assert!(
            scan.uses.is_empty(),
            "the tests' imports are not the crate's structure"
        );
        assert_eq!(
            mods,
            [
                ("".into(), "a"),
                ("".into(), "b"),
                ("tests".to_string(), "deeper")
            ]
        );
        assert_eq!(scan.inline_mods, [vec!["tests".to_string()]]);
        assert_eq!(paths(&scan.inline_paths), ["crate::c::g"]);
        assert!(
            scan.inline_paths[0].inline.is_empty(),
            "the inline module closed before f"
        );
    }

    #[test]
    fn comments_strings_and_chars_are_not_read() {
        let scan = scan(
            "// use crate::x;\n/* use crate::y; /* nested */ */\nconst S: &str = \"use crate::z;\";\nconst R: &str = r#\"crate::w\"#;\nconst C: char = '{';\nfn l<'a>(x: &'a str) {}\nuse crate::real;\n",
        );
        assert_eq!(paths(&scan.uses), ["crate::real"]);
        assert!(scan.inline_paths.is_empty());
    }

    #[test]
    fn a_path_attribute_names_the_file() {
        let scan = scan("#[path = \"../common/mod.rs\"]\n#[allow(dead_code)]\nmod common;\nmod plain;\n");
        assert_eq!(scan.mods[0].path.as_deref(), Some("../common/mod.rs"));
        assert_eq!(scan.mods[1].path, None);
    }

    #[test]
    fn a_path_continuing_past_a_keyword_is_not_a_declaration() {
        let scan = scan("fn f() { x::mod_like(); self::g(); }\n");
        assert!(scan.mods.is_empty());
        assert_eq!(paths(&scan.inline_paths), ["self::g"]);
    }
}
