//! Parses a command line as shell and hands every simple command, with its
//! words and standard input, to the tool rules; judges redirections and
//! substitutions on the way.

use brush_parser::ast;
use brush_parser::word::{self, WordPiece, WordPieceWithSource};
use brush_parser::{Parser, ParserOptions};

use super::visit::{self, unreadable, visited_write};
use super::{Arg, Input, MAX_DEPTH, Verdict, tools};

/// How deep brackets, substitutions and compound commands may nest.
const MAX_NESTING: usize = 40;

/// Judges a whole script; `depth` counts the strings parsed again (`sh -c`).
pub(super) fn script(text: &str, depth: usize) -> Verdict {
    if depth > MAX_DEPTH {
        return Err(unreadable("commands nested too deeply to judge".into()));
    }
    if nesting(text) > MAX_NESTING {
        // The parser recurses once per level: bound it before it can overflow the stack.
        return Err(unreadable(format!(
            "blocks nested more than {MAX_NESTING} deep cannot be judged"
        )));
    }
    if !plain_here_doc_delimiters(text) {
        // brush-parser 0.4 can loop (and allocate) forever on odd delimiters.
        return Err(unreadable(
            "a here-document the net cannot read (odd or missing delimiter)".into(),
        ));
    }
    let options = ParserOptions::default();
    let mut parser = Parser::new(text.as_bytes(), &options);
    let program = parser
        .parse_program()
        .map_err(|e| unreadable(format!("the shell parser cannot read it ({e})")))?;
    let walker = Walker { depth, options };
    for list in &program.complete_commands {
        walker.list(list, &Input::Inherited)?;
    }
    Ok(())
}

/// A redirection target that does not write a file.
fn harmless_sink(a: &Arg) -> bool {
    !a.dynamic
        && matches!(
            a.text.as_str(),
            "/dev/null" | "/dev/stdout" | "/dev/stderr" | "/dev/fd/1" | "/dev/fd/2" | "/dev/tty"
        )
}

/// `Err` when redirecting output into `a` writes a file.
pub(super) fn write_target(a: &Arg) -> Verdict {
    if harmless_sink(a) {
        Ok(())
    } else {
        Err(format!("writes to a file (redirection into {})", a.text))
    }
}

/// Whether a redirection applies to standard input.
fn is_stdin(fd: Option<ast::IoFd>) -> bool {
    fd.is_none_or(|fd| fd == 0)
}

struct Walker {
    depth: usize,
    options: ParserOptions,
}

impl Walker {
    fn list(&self, list: &ast::CompoundList, input: &Input) -> Verdict {
        for ast::CompoundListItem(and_or, _) in &list.0 {
            self.pipeline(&and_or.first, input)?;
            for next in &and_or.additional {
                let (ast::AndOr::And(p) | ast::AndOr::Or(p)) = next;
                self.pipeline(p, input)?;
            }
        }
        Ok(())
    }

    fn pipeline(&self, p: &ast::Pipeline, input: &Input) -> Verdict {
        for (i, c) in p.seq.iter().enumerate() {
            let input = if i == 0 { input.clone() } else { Input::Pipe };
            self.command(c, &input)?;
        }
        Ok(())
    }

    fn command(&self, c: &ast::Command, input: &Input) -> Verdict {
        match c {
            ast::Command::Simple(s) => self.simple(s, input),
            ast::Command::Compound(cc, redirects) => {
                let input = self.redirects(redirects.as_ref(), input)?;
                self.compound(cc, &input)
            }
            ast::Command::Function(f) => {
                let ast::FunctionBody(body, redirects) = &f.body;
                let input = self.redirects(redirects.as_ref(), &Input::Inherited)?;
                self.compound(body, &input)
            }
            ast::Command::ExtendedTest(t, redirects) => {
                self.redirects(redirects.as_ref(), input)?;
                self.test(&t.expr)
            }
        }
    }

    fn redirects(&self, list: Option<&ast::RedirectList>, input: &Input) -> Result<Input, String> {
        let mut input = input.clone();
        for r in list.iter().flat_map(|l| l.0.iter()) {
            if let Some(new) = self.redirect(r)? {
                input = new;
            }
        }
        Ok(input)
    }

    fn compound(&self, c: &ast::CompoundCommand, input: &Input) -> Verdict {
        use ast::CompoundCommand as C;
        match c {
            C::Arithmetic(a) => {
                self.nested_text(&a.expr.value)?;
                // `( (cmd) )` is read as `((…))`; like bash, fall back to
                // nested subshells when the text is no arithmetic.
                if brush_parser::arithmetic::parse(&a.expr.value).is_err() {
                    script(&a.expr.value, self.depth + 1)?;
                }
                Ok(())
            }
            C::ArithmeticForClause(f) => {
                for e in [&f.initializer, &f.condition, &f.updater]
                    .into_iter()
                    .flatten()
                {
                    self.nested_text(&e.value)?;
                }
                self.list(&f.body.list, input)
            }
            C::BraceGroup(b) => self.list(&b.list, input),
            C::Subshell(s) => self.list(&s.list, input),
            C::ForClause(f) => {
                for w in f.values.iter().flatten() {
                    self.arg(w)?;
                }
                self.list(&f.body.list, input)
            }
            C::CaseClause(c) => {
                self.arg(&c.value)?;
                for item in &c.cases {
                    for p in &item.patterns {
                        self.arg(p)?;
                    }
                    if let Some(l) = &item.cmd {
                        self.list(l, input)?;
                    }
                }
                Ok(())
            }
            C::IfClause(i) => {
                self.list(&i.condition, input)?;
                self.list(&i.then, input)?;
                for e in i.elses.iter().flatten() {
                    if let Some(c) = &e.condition {
                        self.list(c, input)?;
                    }
                    self.list(&e.body, input)?;
                }
                Ok(())
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                self.list(&w.0, input)?;
                self.list(&w.1.list, input)
            }
            C::Coprocess(c) => self.command(&c.body, &Input::Inherited),
        }
    }

    fn test(&self, e: &ast::ExtendedTestExpr) -> Verdict {
        use ast::ExtendedTestExpr as E;
        match e {
            E::And(a, b) | E::Or(a, b) => {
                self.test(a)?;
                self.test(b)
            }
            E::Not(a) | E::Parenthesized(a) => self.test(a),
            E::UnaryTest(_, w) => self.arg(w).map(drop),
            E::BinaryTest(_, a, b) => {
                self.arg(a)?;
                self.arg(b).map(drop)
            }
        }
    }

    fn simple(&self, s: &ast::SimpleCommand, input: &Input) -> Verdict {
        use ast::CommandPrefixOrSuffixItem as I;
        let mut input = input.clone();
        let mut words = Vec::new();
        for item in s.prefix.iter().flat_map(|p| p.0.iter()) {
            match item {
                I::IoRedirect(r) => {
                    if let Some(new) = self.redirect(r)? {
                        input = new;
                    }
                }
                I::Word(w) => words.push(self.arg(w)?),
                I::AssignmentWord(a, w) => {
                    self.assignment(a)?;
                    visit::assignment(&self.arg(w)?.text);
                }
                I::ProcessSubstitution(_, sub) => self.list(&sub.list, &Input::Inherited)?,
            }
        }
        if let Some(w) = &s.word_or_name {
            words.push(self.arg(w)?);
        }
        for item in s.suffix.iter().flat_map(|p| p.0.iter()) {
            match item {
                I::IoRedirect(r) => {
                    if let Some(new) = self.redirect(r)? {
                        input = new;
                    }
                }
                I::Word(w) | I::AssignmentWord(_, w) => words.push(self.arg(w)?),
                I::ProcessSubstitution(_, sub) => {
                    self.list(&sub.list, &Input::Inherited)?;
                    words.push(Arg {
                        text: "/dev/fd/63".into(),
                        dynamic: true,
                        split: false,
                        pattern: false,
                    });
                }
            }
        }
        tools::judge(&words, &input, self.depth)
    }

    fn assignment(&self, a: &ast::Assignment) -> Verdict {
        match &a.value {
            ast::AssignmentValue::Scalar(w) => self.arg(w).map(drop),
            ast::AssignmentValue::Array(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.arg(k)?;
                    }
                    self.arg(v)?;
                }
                Ok(())
            }
        }
    }

    /// Judges a redirection; returns the new standard input if it sets one.
    fn redirect(&self, r: &ast::IoRedirect) -> Result<Option<Input>, String> {
        use ast::IoFileRedirectKind as K;
        use ast::IoFileRedirectTarget as T;
        match r {
            ast::IoRedirect::File(fd, kind, target) => match target {
                T::Filename(w) => {
                    let a = self.arg(w)?;
                    match kind {
                        K::Write | K::Append | K::Clobber | K::ReadAndWrite => {
                            visit::read(&a);
                            visited_write(&a, write_target(&a))?;
                            Ok(None)
                        }
                        K::Read | K::DuplicateInput => {
                            visit::read(&a);
                            Ok(is_stdin(*fd).then_some(Input::Unknown))
                        }
                        K::DuplicateOutput => {
                            visited_write(&a, dup_target(&a))?;
                            Ok(None)
                        }
                    }
                }
                T::Fd(_) => Ok(None),
                T::ProcessSubstitution(_, sub) => {
                    self.list(&sub.list, &Input::Inherited)?;
                    Ok(is_stdin(*fd).then_some(Input::Unknown))
                }
                T::Duplicate(w) => {
                    let a = self.arg(w)?;
                    if matches!(kind, K::DuplicateOutput) {
                        visited_write(&a, dup_target(&a))?;
                    }
                    Ok(None)
                }
            },
            ast::IoRedirect::HereDocument(fd, doc) => {
                let text = &doc.doc.value;
                let expands = doc.requires_expansion && (text.contains('$') || text.contains('`'));
                if expands {
                    let pieces = word::parse_heredoc(text, &self.options).map_err(|e| {
                        unreadable(format!(
                            "the shell parser cannot read a here-document ({e})"
                        ))
                    })?;
                    self.pieces(text, &pieces, true, &mut Arg::default())?;
                }
                Ok(is_stdin(*fd).then(|| {
                    if expands {
                        Input::Unknown
                    } else {
                        Input::Text(text.clone())
                    }
                }))
            }
            ast::IoRedirect::HereString(fd, w) => {
                let a = self.arg(w)?;
                let input = if a.dynamic {
                    Input::Unknown
                } else {
                    Input::Text(a.text)
                };
                Ok(is_stdin(*fd).then_some(input))
            }
            ast::IoRedirect::OutputAndError(w, _) => {
                let a = self.arg(w)?;
                visited_write(&a, write_target(&a))?;
                Ok(None)
            }
        }
    }

    /// Reads a word: its text without quotes, and judges every substitution in it.
    fn arg(&self, w: &ast::Word) -> Result<Arg, String> {
        let pieces = word::parse(&w.value, &self.options).map_err(|e| {
            unreadable(format!(
                "the shell parser cannot read the word `{}` ({e})",
                w.value
            ))
        })?;
        let mut a = Arg::default();
        self.pieces(&w.value, &pieces, false, &mut a)?;
        Ok(a)
    }

    fn pieces(
        &self,
        src: &str,
        pieces: &[WordPieceWithSource],
        quoted: bool,
        a: &mut Arg,
    ) -> Verdict {
        for p in pieces {
            let raw = src.get(p.start_index..p.end_index).unwrap_or("$?");
            let mut expansion = || {
                a.dynamic = true;
                a.split |= !quoted;
                a.text.push_str(raw);
            };
            match &p.piece {
                WordPiece::Text(s) => {
                    if !quoted && is_pattern(s) {
                        a.pattern = true;
                    }
                    a.text.push_str(s);
                }
                WordPiece::SingleQuotedText(s) => a.text.push_str(s),
                WordPiece::AnsiCQuotedText(s) => {
                    // `$'\x72m'` is only known after decoding: treat escapes as unknown.
                    if s.contains('\\') {
                        a.dynamic = true;
                    }
                    a.text.push_str(s);
                }
                WordPiece::DoubleQuotedSequence(inner)
                | WordPiece::GettextDoubleQuotedSequence(inner) => {
                    self.pieces(src, inner, true, a)?;
                }
                WordPiece::TildeExpansion(_) => a.text.push_str(raw),
                WordPiece::EscapeSequence(s) => {
                    a.text.push_str(s.strip_prefix('\\').unwrap_or(s));
                }
                WordPiece::ParameterExpansion(_) => {
                    if let Some(inner) = raw.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                        self.nested_text(inner)?;
                    }
                    expansion();
                }
                WordPiece::CommandSubstitution(s) | WordPiece::BackquotedCommandSubstitution(s) => {
                    script(s, self.depth + 1)?;
                    expansion();
                }
                WordPiece::ArithmeticExpression(e) => {
                    self.nested_text(&e.value)?;
                    expansion();
                }
            }
        }
        Ok(())
    }

    /// Judges the substitutions inside text that the shell expands as a word
    /// (`${x:-$(cmd)}`, `$(( $(cmd) ))`).
    fn nested_text(&self, text: &str) -> Verdict {
        if !text.contains('$') && !text.contains('`') {
            return Ok(());
        }
        let pieces = word::parse(text, &self.options)
            .map_err(|e| unreadable(format!("the shell parser cannot read `{text}` ({e})")))?;
        self.pieces(text, &pieces, true, &mut Arg::default())
    }
}

/// `>&word`: a descriptor (`2>&1`, `>&-`), or else a file name.
fn dup_target(a: &Arg) -> Verdict {
    let t = a.text.trim_end_matches('-');
    if !a.dynamic && (a.text == "-" || (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))) {
        Ok(())
    } else {
        write_target(a)
    }
}

/// Unquoted text the shell expands into other words: globs, brace and extglob patterns.
fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?', '('])
        || s.find('[').is_some_and(|i| s[i..].contains(']'))
        || (s.contains('{') && (s.contains(',') || s.contains("..")))
}

/// Whether every `<<` here-document delimiter is a plain word (`EOF`,
/// `'EOF'`, `"EOF"`, `\EOF`: letters, digits and `_.-+:@%,/=`) that ends the
/// document on a later line.
fn plain_here_doc_delimiters(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find("<<") {
        rest = &rest[i + 2..];
        if let Some(after) = rest.strip_prefix('<') {
            rest = after; // a here-string
            continue;
        }
        let strip_tabs = rest.starts_with('-');
        let word = rest
            .strip_prefix('-')
            .unwrap_or(rest)
            .trim_start_matches([' ', '\t']);
        let end = word
            .find(|c: char| {
                c.is_whitespace() || matches!(c, ';' | '|' | '&' | '<' | '>' | '(' | ')')
            })
            .unwrap_or(word.len());
        let word = &word[..end];
        let inner = word
            .strip_prefix('\'')
            .and_then(|w| w.strip_suffix('\''))
            .or_else(|| word.strip_prefix('"').and_then(|w| w.strip_suffix('"')))
            .or_else(|| word.strip_prefix('\\'))
            .unwrap_or(word);
        let plain = |c: char| c.is_alphanumeric() || "_.-+:@%,/=".contains(c);
        if inner.is_empty() || !inner.chars().all(plain) {
            return false;
        }
        // …and it ends at a line of its own (an unterminated one can hang the parser).
        let body = rest.split_once('\n').map_or("", |(_, b)| b);
        let ends = body.lines().any(|l| {
            let l = if strip_tabs {
                l.trim_start_matches('\t')
            } else {
                l
            };
            l == inner
        });
        if !ends {
            return false;
        }
    }
    true
}

/// The deepest nesting of `(`, `{`, `[`, backticks and `if`/`for`/`while`/
/// `until`/`case`/`select` blocks, outside single quotes. An over-estimate is
/// fine: it only makes the net ask.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut in_backticks = false;
    let mut word = String::new();
    let mut chars = text.chars();
    let close_word = |word: &mut String, depth: &mut usize, deepest: &mut usize| {
        match word.as_str() {
            "if" | "for" | "while" | "until" | "case" | "select" => *depth += 1,
            "fi" | "done" | "esac" => *depth = depth.saturating_sub(1),
            _ => {}
        }
        *deepest = (*deepest).max(*depth);
        word.clear();
    };
    while let Some(c) = chars.next() {
        if c.is_ascii_alphabetic() {
            word.push(c);
            continue;
        }
        close_word(&mut word, &mut depth, &mut deepest);
        match c {
            '\\' => {
                chars.next();
            }
            '\'' => {
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                }
            }
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            '`' => {
                in_backticks = !in_backticks;
                if in_backticks {
                    depth += 1;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    close_word(&mut word, &mut depth, &mut deepest);
    deepest
}
