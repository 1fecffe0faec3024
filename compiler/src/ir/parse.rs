//! The text form of the IR: parser. The grammar is documented in [`super::print`].
//!
//! Values and blocks keep the numbers written in the text (`v7` is `Value(7)`). Numbers that
//! the text skips are filled with placeholder values, each the result of a detached
//! `iconst.i32 0` that sits in no block, so the function stays well formed. Instructions are
//! numbered in text order. Every error carries the line and column where it was found.

use super::print::{
    is_bare_name_char, BINARY_OPS, CONV_OPS, FLOAT_CCS, INT_CCS, LOAD_SIZES, TYPES, UNARY_OPS,
};
use super::*;
use std::collections::HashMap;

/// Value and block numbers above this are rejected, so a typo cannot allocate gigabytes.
const MAX_ENTITY_NUMBER: u32 = 1 << 20;

/// A position in the text, 1-based.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParseError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl ParseError {
    fn at(pos: Pos, message: impl Into<String>) -> ParseError {
        ParseError {
            line: pos.line,
            col: pos.col,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parse one function in text form.
pub fn parse_function(text: &str) -> Result<Function, ParseError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        next: 0,
        uses: Vec::new(),
    };
    let parsed = parser.function()?;
    build(parsed)
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, PartialEq, Debug)]
enum Tok {
    /// Identifiers, mnemonics (`iadd.i32`), entity names (`v3`, `block1`, `sig0`, `fn2`).
    Word(String),
    /// A number as written, sign included (`+8`, `-5`, `0x3ff0000000000000`).
    Number(String),
    /// `%name` or `%"quoted name"`, unescaped.
    Name(String),
    Punct(char),
    Arrow,
    Eof,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    pos: Pos,
}

fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1u32, 1u32);
    let word_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        let start = i;
        if c == '\n' {
            i += 1;
            line += 1;
            col = 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
        } else if c == ';' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '-' && chars.get(i + 1) == Some(&'>') {
            i += 2;
            tokens.push(Token {
                tok: Tok::Arrow,
                pos,
            });
        } else if c.is_ascii_digit()
            || ((c == '-' || c == '+') && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
            while i < chars.len() && word_char(chars[i]) {
                i += 1;
            }
            tokens.push(Token {
                tok: Tok::Number(chars[start..i].iter().collect()),
                pos,
            });
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && word_char(chars[i]) {
                i += 1;
            }
            tokens.push(Token {
                tok: Tok::Word(chars[start..i].iter().collect()),
                pos,
            });
        } else if c == '%' {
            i += 1;
            let name = if chars.get(i) == Some(&'"') {
                lex_quoted(&chars, &mut i, pos)?
            } else {
                let s = i;
                while i < chars.len() && is_bare_name_char(chars[i]) {
                    i += 1;
                }
                chars[s..i].iter().collect()
            };
            tokens.push(Token {
                tok: Tok::Name(name),
                pos,
            });
        } else if "(),:={}[]@".contains(c) {
            i += 1;
            tokens.push(Token {
                tok: Tok::Punct(c),
                pos,
            });
        } else {
            return Err(ParseError::at(pos, format!("unexpected character {:?}", c)));
        }
        // Multi-line tokens (quoted names) may not contain newlines, so columns stay exact.
        col += (i - start) as u32;
    }
    tokens.push(Token {
        tok: Tok::Eof,
        pos: Pos { line, col },
    });
    Ok(tokens)
}

/// A quoted name starting at `chars[*i] == '"'`; escapes are `\"`, `\\` and `\u{hex}`.
fn lex_quoted(chars: &[char], i: &mut usize, pos: Pos) -> Result<String, ParseError> {
    let unterminated = || ParseError::at(pos, "unterminated quoted name");
    let mut name = String::new();
    *i += 1;
    loop {
        match chars.get(*i).copied() {
            None | Some('\n') => return Err(unterminated()),
            Some('"') => {
                *i += 1;
                return Ok(name);
            }
            Some('\\') => match chars.get(*i + 1).copied() {
                Some(c @ ('"' | '\\')) => {
                    name.push(c);
                    *i += 2;
                }
                Some('u') if chars.get(*i + 2) == Some(&'{') => {
                    let digits_start = *i + 3;
                    let close = chars[digits_start..]
                        .iter()
                        .position(|&c| c == '}')
                        .ok_or_else(unterminated)?;
                    let digits: String = chars[digits_start..digits_start + close].iter().collect();
                    let c = u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| {
                            ParseError::at(pos, format!("bad escape \\u{{{}}}", digits))
                        })?;
                    name.push(c);
                    *i = digits_start + close + 1;
                }
                _ => return Err(ParseError::at(pos, "bad escape in quoted name")),
            },
            Some(c) => {
                name.push(c);
                *i += 1;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parser: text to a list of blocks and instructions with their positions.

struct ParsedFunction {
    name: String,
    sig: Signature,
    sigs: Vec<Signature>,
    blocks: Vec<ParsedBlock>,
}

struct ParsedBlock {
    block: Block,
    pos: Pos,
    params: Vec<(Value, Type, Pos)>,
    insts: Vec<ParsedInst>,
}

struct ParsedInst {
    pos: Pos,
    results: Vec<(Value, Pos)>,
    data: InstData,
    srcloc: u32,
    /// Every value operand with where it was written, to report uses of undefined values.
    uses: Vec<(Value, Pos)>,
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
    /// Value operands read by the instruction being parsed.
    uses: Vec<(Value, Pos)>,
}

/// `prefixN` as a number: `numbered("v12", "v") == Some(12)`.
fn numbered(word: &str, prefix: &str) -> Option<u32> {
    let digits = word.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// An integer literal: decimal or `0x` hex, with an optional sign.
fn parse_integer(text: &str) -> Option<i128> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = match body.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None => body.parse::<u64>().ok()?,
    };
    let magnitude = magnitude as i128;
    Some(if negative { -magnitude } else { magnitude })
}

fn lookup<T: Copy>(table: &[(T, &str)], name: &str) -> Option<T> {
    table.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
}

fn type_named(name: &str) -> Option<Type> {
    TYPES.iter().copied().find(|t| t.name() == name)
}

impl Parser {
    fn peek(&self) -> &Token {
        // The lexer always ends the list with Eof, and `bump` never moves past it.
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn pos(&self) -> Pos {
        self.peek().pos
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if t.tok != Tok::Eof {
            self.next += 1;
        }
        t
    }

    fn describe(tok: &Tok) -> String {
        match tok {
            Tok::Word(w) => format!("'{}'", w),
            Tok::Number(n) => format!("'{}'", n),
            Tok::Name(n) => format!("'%{}'", n),
            Tok::Punct(c) => format!("'{}'", c),
            Tok::Arrow => "'->'".to_string(),
            Tok::Eof => "end of input".to_string(),
        }
    }

    fn error_expected<T>(&self, what: &str) -> Result<T, ParseError> {
        Err(ParseError::at(
            self.pos(),
            format!(
                "expected {}, found {}",
                what,
                Self::describe(&self.peek().tok)
            ),
        ))
    }

    fn is_punct(&self, c: char) -> bool {
        self.peek().tok == Tok::Punct(c)
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let found = self.is_punct(c);
        if found {
            self.bump();
        }
        found
    }

    fn expect_punct(&mut self, c: char) -> Result<(), ParseError> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            self.error_expected(&format!("'{}'", c))
        }
    }

    fn word(&mut self, what: &str) -> Result<(String, Pos), ParseError> {
        match &self.peek().tok {
            Tok::Word(w) => {
                let w = w.clone();
                let pos = self.bump().pos;
                Ok((w, pos))
            }
            _ => self.error_expected(what),
        }
    }

    fn keyword(&mut self, kw: &str) -> Result<(), ParseError> {
        match &self.peek().tok {
            Tok::Word(w) if w == kw => {
                self.bump();
                Ok(())
            }
            _ => self.error_expected(&format!("'{}'", kw)),
        }
    }

    /// `prefixN` with N bounded by [`MAX_ENTITY_NUMBER`].
    fn entity(&mut self, prefix: &str) -> Result<(u32, Pos), ParseError> {
        let what = format!("{}N", prefix);
        match &self.peek().tok {
            Tok::Word(w) => match numbered(w, prefix) {
                Some(n) if n <= MAX_ENTITY_NUMBER => {
                    let pos = self.bump().pos;
                    Ok((n, pos))
                }
                Some(_) => Err(ParseError::at(self.pos(), format!("{} is too large", w))),
                None => self.error_expected(&what),
            },
            _ => self.error_expected(&what),
        }
    }

    fn number(&mut self, what: &str) -> Result<(i128, Pos), ParseError> {
        match &self.peek().tok {
            Tok::Number(text) => {
                let pos = self.pos();
                let value = parse_integer(text)
                    .ok_or_else(|| ParseError::at(pos, format!("bad number '{}'", text)))?;
                self.bump();
                Ok((value, pos))
            }
            _ => self.error_expected(what),
        }
    }

    fn number_in<T: TryFrom<i128>>(
        &mut self,
        what: &str,
        min: i128,
        max: i128,
    ) -> Result<T, ParseError> {
        let (value, pos) = self.number(what)?;
        if value < min || value > max {
            return Err(ParseError::at(
                pos,
                format!("{} {} out of range", what, value),
            ));
        }
        T::try_from(value)
            .map_err(|_| ParseError::at(pos, format!("{} {} out of range", what, value)))
    }

    fn ty(&mut self) -> Result<Type, ParseError> {
        let pos = self.pos();
        let (w, _) = self.word("a type")?;
        type_named(&w).ok_or_else(|| ParseError::at(pos, format!("unknown type '{}'", w)))
    }

    /// `ty, ty, ...` up to (not including) `close`.
    fn types_until(&mut self, close: char) -> Result<Vec<Type>, ParseError> {
        let mut types = Vec::new();
        if !self.is_punct(close) {
            loop {
                types.push(self.ty()?);
                if !self.eat_punct(',') {
                    break;
                }
            }
        }
        self.expect_punct(close)?;
        Ok(types)
    }

    /// `(params) -> result` or `(params) -> (results)` or `(params)`.
    fn signature(&mut self) -> Result<Signature, ParseError> {
        self.expect_punct('(')?;
        let params = self.types_until(')')?;
        let mut results = Vec::new();
        if self.peek().tok == Tok::Arrow {
            self.bump();
            if self.eat_punct('(') {
                results = self.types_until(')')?;
            } else {
                results.push(self.ty()?);
            }
        }
        Ok(Signature { params, results })
    }

    fn function(&mut self) -> Result<ParsedFunction, ParseError> {
        self.keyword("function")?;
        let name = match &self.peek().tok {
            Tok::Name(n) => n.clone(),
            _ => return self.error_expected("a function name '%name'"),
        };
        self.bump();
        let sig = self.signature()?;
        self.expect_punct('{')?;
        let mut sigs = Vec::new();
        while let Tok::Word(w) = &self.peek().tok {
            if numbered(w, "sig").is_none() {
                break;
            }
            let (n, pos) = self.entity("sig")?;
            if n as usize != sigs.len() {
                return Err(ParseError::at(
                    pos,
                    format!(
                        "expected sig{} (signatures are numbered in order)",
                        sigs.len()
                    ),
                ));
            }
            self.expect_punct('=')?;
            sigs.push(self.signature()?);
        }
        let mut blocks = Vec::new();
        while !self.eat_punct('}') {
            blocks.push(self.block()?);
        }
        if self.peek().tok != Tok::Eof {
            return self.error_expected("end of input after '}'");
        }
        Ok(ParsedFunction {
            name,
            sig,
            sigs,
            blocks,
        })
    }

    fn block(&mut self) -> Result<ParsedBlock, ParseError> {
        let (n, pos) = self.entity("block")?;
        let mut params = Vec::new();
        if self.eat_punct('(') {
            loop {
                let (v, vpos) = self.entity("v")?;
                self.expect_punct(':')?;
                params.push((Value(v), self.ty()?, vpos));
                if !self.eat_punct(',') {
                    break;
                }
            }
            self.expect_punct(')')?;
        }
        self.expect_punct(':')?;
        let mut insts = Vec::new();
        loop {
            let starts_block =
                matches!(&self.peek().tok, Tok::Word(w) if numbered(w, "block").is_some());
            if starts_block || self.is_punct('}') || self.peek().tok == Tok::Eof {
                break;
            }
            insts.push(self.inst()?);
        }
        Ok(ParsedBlock {
            block: Block(n),
            pos,
            params,
            insts,
        })
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        let (n, pos) = self.entity("v")?;
        self.uses.push((Value(n), pos));
        Ok(Value(n))
    }

    fn comma(&mut self) -> Result<(), ParseError> {
        self.expect_punct(',')
    }

    /// `(v1, v2, ...)`.
    fn value_list(&mut self) -> Result<Vec<Value>, ParseError> {
        self.expect_punct('(')?;
        let mut values = Vec::new();
        if !self.is_punct(')') {
            loop {
                values.push(self.value()?);
                if !self.eat_punct(',') {
                    break;
                }
            }
        }
        self.expect_punct(')')?;
        Ok(values)
    }

    fn block_call(&mut self) -> Result<BlockCall, ParseError> {
        let (n, _) = self.entity("block")?;
        let args = if self.is_punct('(') {
            self.value_list()?
        } else {
            Vec::new()
        };
        Ok(BlockCall {
            block: Block(n),
            args,
        })
    }

    fn trap_code(&mut self) -> Result<TrapCode, ParseError> {
        let pos = self.pos();
        let (w, _) = self.word("a trap code")?;
        TrapCode::from_name(&w)
            .ok_or_else(|| ParseError::at(pos, format!("unknown trap code '{}'", w)))
    }

    fn inst(&mut self) -> Result<ParsedInst, ParseError> {
        let pos = self.pos();
        let mut results = Vec::new();
        if matches!(&self.peek().tok, Tok::Word(w) if numbered(w, "v").is_some()) {
            loop {
                let (n, vpos) = self.entity("v")?;
                results.push((Value(n), vpos));
                if !self.eat_punct(',') {
                    break;
                }
            }
            self.expect_punct('=')?;
        }
        self.uses.clear();
        let data = self.inst_data()?;
        let mut srcloc = 0;
        if self.eat_punct('@') {
            srcloc = self.number_in("source location", 0, u32::MAX as i128)?;
        }
        Ok(ParsedInst {
            pos,
            results,
            data,
            srcloc,
            uses: std::mem::take(&mut self.uses),
        })
    }

    fn inst_data(&mut self) -> Result<InstData, ParseError> {
        let (mnemonic, pos) = self.word("an instruction")?;
        if let Some(name) = mnemonic.strip_prefix("simd.") {
            return self.simd(name, pos);
        }
        let mut parts = mnemonic.split('.');
        let op = parts.next().unwrap_or_default();
        let mut types = Vec::new();
        for part in parts {
            types.push(type_named(part).ok_or_else(|| {
                ParseError::at(pos, format!("unknown type '{}' in '{}'", part, mnemonic))
            })?);
        }
        let want_types = |n: usize| -> Result<(), ParseError> {
            if types.len() == n {
                Ok(())
            } else {
                Err(ParseError::at(
                    pos,
                    format!(
                        "'{}' takes {} type suffix(es), found {}",
                        op,
                        n,
                        types.len()
                    ),
                ))
            }
        };
        use InstData::*;
        if let Some(op) = lookup(&UNARY_OPS, op) {
            want_types(1)?;
            return Ok(Unary {
                op,
                ty: types[0],
                arg: self.value()?,
            });
        }
        if let Some(op) = lookup(&BINARY_OPS, op) {
            want_types(1)?;
            let a = self.value()?;
            self.comma()?;
            return Ok(Binary {
                op,
                ty: types[0],
                args: [a, self.value()?],
            });
        }
        if let Some(conv) = lookup(&CONV_OPS, op) {
            want_types(2)?;
            return Ok(Conv {
                op: conv,
                from: types[0],
                to: types[1],
                arg: self.value()?,
            });
        }
        if let Some(size_name) = op.strip_prefix("load").filter(|s| !s.starts_with('_')) {
            want_types(1)?;
            let size = lookup(&LOAD_SIZES, size_name).ok_or_else(|| {
                ParseError::at(pos, format!("unknown load size in '{}'", mnemonic))
            })?;
            let heap = self.value()?;
            self.comma()?;
            let addr = self.value()?;
            self.comma()?;
            let offset = self.number_in("offset", 0, u32::MAX as i128)?;
            return Ok(Load {
                ty: types[0],
                size,
                heap,
                addr,
                offset,
            });
        }
        if let Some(width) = op.strip_prefix("store").filter(|s| !s.starts_with('_')) {
            want_types(1)?;
            let size = match width {
                "" => MemSize::Full,
                "8" => MemSize::U8,
                "16" => MemSize::U16,
                "32" => MemSize::U32,
                _ => {
                    return Err(ParseError::at(
                        pos,
                        format!("unknown store width in '{}'", mnemonic),
                    ))
                }
            };
            let heap = self.value()?;
            self.comma()?;
            let addr = self.value()?;
            self.comma()?;
            let offset = self.number_in("offset", 0, u32::MAX as i128)?;
            self.comma()?;
            return Ok(Store {
                ty: types[0],
                size,
                heap,
                addr,
                offset,
                value: self.value()?,
            });
        }
        match op {
            "iconst" => {
                want_types(1)?;
                let ty = types[0];
                let imm = match ty {
                    Type::I32 => {
                        self.number_in::<i64>("i32 constant", i32::MIN as i128, u32::MAX as i128)?
                            as i32 as i64
                    }
                    Type::I64 => {
                        self.number_in::<i128>("i64 constant", i64::MIN as i128, u64::MAX as i128)?
                            as i64
                    }
                    _ => return Err(ParseError::at(pos, format!("iconst of type {}", ty))),
                };
                Ok(Iconst { ty, imm })
            }
            "f32const" => {
                want_types(0)?;
                Ok(F32const {
                    bits: self.number_in("f32 bits", 0, u32::MAX as i128)?,
                })
            }
            "f64const" => {
                want_types(0)?;
                Ok(F64const {
                    bits: self.number_in::<i128>("f64 bits", 0, u64::MAX as i128)? as u64,
                })
            }
            "v128const" => {
                want_types(0)?;
                let (text, npos) = match &self.peek().tok {
                    Tok::Number(t) => (t.clone(), self.pos()),
                    _ => return self.error_expected("v128 bits"),
                };
                let bytes = text
                    .strip_prefix("0x")
                    .and_then(|hex| u128::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| ParseError::at(npos, format!("bad v128 bits '{}'", text)))?;
                self.bump();
                Ok(V128const { bytes })
            }
            "ref_null" => {
                want_types(0)?;
                Ok(RefNull)
            }
            "is_null" => {
                want_types(0)?;
                Ok(IsNull { arg: self.value()? })
            }
            "icmp" | "fcmp" => {
                want_types(1)?;
                let (cc, cpos) = self.word("a condition")?;
                let a = self.value()?;
                self.comma()?;
                let args = [a, self.value()?];
                let bad_cc = || ParseError::at(cpos, format!("unknown {} condition '{}'", op, cc));
                if op == "icmp" {
                    Ok(Icmp {
                        cond: lookup(&INT_CCS, &cc).ok_or_else(bad_cc)?,
                        ty: types[0],
                        args,
                    })
                } else {
                    Ok(Fcmp {
                        cond: lookup(&FLOAT_CCS, &cc).ok_or_else(bad_cc)?,
                        ty: types[0],
                        args,
                    })
                }
            }
            "select" => {
                want_types(1)?;
                let cond = self.value()?;
                self.comma()?;
                let a = self.value()?;
                self.comma()?;
                Ok(Select {
                    ty: types[0],
                    cond,
                    args: [a, self.value()?],
                })
            }
            "load_ptr" => {
                want_types(1)?;
                let readonly = matches!(&self.peek().tok, Tok::Word(w) if w == "readonly");
                if readonly {
                    self.bump();
                }
                let ptr = self.value()?;
                self.comma()?;
                let offset = self.number_in("offset", i32::MIN as i128, i32::MAX as i128)?;
                Ok(LoadPtr {
                    ty: types[0],
                    ptr,
                    offset,
                    readonly,
                })
            }
            "store_ptr" => {
                want_types(1)?;
                let ptr = self.value()?;
                self.comma()?;
                let offset = self.number_in("offset", i32::MIN as i128, i32::MAX as i128)?;
                self.comma()?;
                Ok(StorePtr {
                    ty: types[0],
                    ptr,
                    offset,
                    value: self.value()?,
                })
            }
            "call" => {
                want_types(0)?;
                let (func, _) = self.entity_any("fn")?;
                let (sig, _) = self.entity("sig")?;
                Ok(Call {
                    func,
                    sig: SigRef(sig),
                    args: self.value_list()?,
                })
            }
            "call_indirect" => {
                want_types(0)?;
                let (sig, _) = self.entity("sig")?;
                let callee = self.value()?;
                Ok(CallIndirect {
                    sig: SigRef(sig),
                    callee,
                    args: self.value_list()?,
                })
            }
            "call_rt" => {
                want_types(0)?;
                let (name, npos) = self.word("a runtime function")?;
                let func = RuntimeFn::from_name(&name).ok_or_else(|| {
                    ParseError::at(npos, format!("unknown runtime function '{}'", name))
                })?;
                Ok(CallRuntime {
                    func,
                    args: self.value_list()?,
                })
            }
            "trapz" | "trapnz" => {
                want_types(0)?;
                let cond = self.value()?;
                self.comma()?;
                let code = self.trap_code()?;
                Ok(if op == "trapz" {
                    Trapz { cond, code }
                } else {
                    Trapnz { cond, code }
                })
            }
            "jump" => {
                want_types(0)?;
                Ok(Jump {
                    dest: self.block_call()?,
                })
            }
            "brif" => {
                want_types(0)?;
                let cond = self.value()?;
                self.comma()?;
                let then_dest = self.block_call()?;
                self.comma()?;
                Ok(Brif {
                    cond,
                    then_dest,
                    else_dest: self.block_call()?,
                })
            }
            "br_table" => {
                want_types(0)?;
                let index = self.value()?;
                self.comma()?;
                self.expect_punct('[')?;
                let mut targets = Vec::new();
                if !self.is_punct(']') {
                    loop {
                        targets.push(Block(self.entity("block")?.0));
                        if !self.eat_punct(',') {
                            break;
                        }
                    }
                }
                self.expect_punct(']')?;
                self.comma()?;
                Ok(BrTable {
                    index,
                    targets,
                    default: Block(self.entity("block")?.0),
                })
            }
            "return" => {
                want_types(0)?;
                // Return values sit on the return's own line; the next line starts a new statement.
                let mut args = Vec::new();
                let same_line = |p: &Parser| p.pos().line == pos.line;
                if same_line(self)
                    && matches!(&self.peek().tok, Tok::Word(w) if numbered(w, "v").is_some())
                {
                    loop {
                        args.push(self.value()?);
                        if !self.eat_punct(',') {
                            break;
                        }
                    }
                }
                Ok(Return { args })
            }
            "trap" => {
                want_types(0)?;
                Ok(Trap {
                    code: self.trap_code()?,
                })
            }
            _ => Err(ParseError::at(
                pos,
                format!("unknown instruction '{}'", mnemonic),
            )),
        }
    }

    /// The rest of `simd.NAME [immediate] operands` (see `simd.rs`).
    fn simd(&mut self, name: &str, pos: Pos) -> Result<InstData, ParseError> {
        let mut op = SimdOp::from_name(name)
            .ok_or_else(|| ParseError::at(pos, format!("unknown SIMD operation '{}'", name)))?;
        if op.has_immediate() {
            self.expect_punct('[')?;
            let mut imm = Vec::new();
            while !self.eat_punct(']') && imm.len() <= 16 {
                imm.push(self.number_in::<u8>("a lane index", 0, 255)?);
            }
            op = op
                .with_immediate(&imm)
                .ok_or_else(|| ParseError::at(pos, format!("bad immediate for '{}'", name)))?;
        }
        let mut args = Vec::new();
        for i in 0..op.operand_types().len() {
            if i > 0 {
                self.comma()?;
            }
            args.push(self.value()?);
        }
        Ok(InstData::Simd { op, args })
    }

    /// `prefixN` with any u32 N (function indices are not allocated, so need no bound).
    fn entity_any(&mut self, prefix: &str) -> Result<(u32, Pos), ParseError> {
        match &self.peek().tok {
            Tok::Word(w) => match numbered(w, prefix) {
                Some(n) => {
                    let pos = self.bump().pos;
                    Ok((n, pos))
                }
                None => self.error_expected(&format!("{}N", prefix)),
            },
            _ => self.error_expected(&format!("{}N", prefix)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building the function: check references, number entities as written.

fn build(parsed: ParsedFunction) -> Result<Function, ParseError> {
    let mut func = Function::new(parsed.name, parsed.sig);
    func.sigs = parsed.sigs;

    // Blocks: every referenced block must have a header; gaps stay empty and out of the layout.
    let mut block_pos: HashMap<Block, Pos> = HashMap::new();
    for pb in &parsed.blocks {
        if block_pos.insert(pb.block, pb.pos).is_some() {
            return Err(ParseError::at(
                pb.pos,
                format!("block{} is defined twice", pb.block.0),
            ));
        }
    }
    for pb in &parsed.blocks {
        for pi in &pb.insts {
            for succ in pi.data.successors() {
                if !block_pos.contains_key(&succ) {
                    return Err(ParseError::at(
                        pi.pos,
                        format!("block{} is not defined", succ.0),
                    ));
                }
            }
        }
    }
    let num_blocks = parsed
        .blocks
        .iter()
        .map(|pb| pb.block.index() + 1)
        .max()
        .unwrap_or(0);
    func.blocks = vec![BlockData::default(); num_blocks];
    func.layout = parsed.blocks.iter().map(|pb| pb.block).collect();

    // Values: collect every definition with its type.
    let mut defs: HashMap<Value, (Type, ValueDef, Pos)> = HashMap::new();
    let mut define = |v: Value, ty: Type, def: ValueDef, pos: Pos| {
        if defs.insert(v, (ty, def, pos)).is_some() {
            return Err(ParseError::at(pos, format!("v{} is defined twice", v.0)));
        }
        Ok(())
    };
    let mut next_inst = 0u32;
    for pb in &parsed.blocks {
        for (n, &(v, ty, pos)) in pb.params.iter().enumerate() {
            define(v, ty, ValueDef::Param(pb.block, n as u32), pos)?;
        }
        for pi in &pb.insts {
            let inst = Inst(next_inst);
            next_inst += 1;
            if let InstData::Call { sig, .. } | InstData::CallIndirect { sig, .. } = &pi.data {
                if sig.0 as usize >= func.sigs.len() {
                    return Err(ParseError::at(
                        pi.pos,
                        format!("sig{} is not declared", sig.0),
                    ));
                }
            }
            let types = func.result_types_of(&pi.data);
            if types.len() != pi.results.len() {
                return Err(ParseError::at(
                    pi.pos,
                    format!(
                        "instruction has {} result(s), {} named",
                        types.len(),
                        pi.results.len()
                    ),
                ));
            }
            for (n, (&(v, pos), &ty)) in pi.results.iter().zip(&types).enumerate() {
                define(v, ty, ValueDef::Result(inst, n as u32), pos)?;
            }
        }
    }
    for pb in &parsed.blocks {
        for pi in &pb.insts {
            if let Some(&(v, pos)) = pi.uses.iter().find(|(v, _)| !defs.contains_key(v)) {
                return Err(ParseError::at(
                    pos,
                    format!("v{} is used but never defined", v.0),
                ));
            }
        }
    }

    let num_values = defs.keys().map(|v| v.index() + 1).max().unwrap_or(0);
    func.values = (0..num_values)
        .map(|i| match defs.get(&Value(i as u32)) {
            Some(&(ty, def, _)) => ValueData { ty, def },
            // Replaced by a placeholder definition below.
            None => ValueData {
                ty: Type::I32,
                def: ValueDef::Result(Inst(u32::MAX), 0),
            },
        })
        .collect();
    for pb in parsed.blocks {
        let data = &mut func.blocks[pb.block.index()];
        data.params = pb.params.iter().map(|&(v, _, _)| v).collect();
        for pi in pb.insts {
            let inst = Inst(func.insts.len() as u32);
            func.insts.push(pi.data);
            func.srclocs.push(pi.srcloc);
            func.inst_results
                .push(pi.results.iter().map(|&(v, _)| v).collect());
            func.blocks[pb.block.index()].insts.push(inst);
        }
    }
    for i in 0..num_values {
        let v = Value(i as u32);
        if !defs.contains_key(&v) {
            let inst = Inst(func.insts.len() as u32);
            func.insts.push(InstData::Iconst {
                ty: Type::I32,
                imm: 0,
            });
            func.srclocs.push(0);
            func.inst_results.push(vec![v]);
            func.values[i].def = ValueDef::Result(inst, 0);
        }
    }
    Ok(func)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::print::print_function;

    /// A function using every instruction form, built through the API.
    fn every_instruction() -> Function {
        use InstData::*;
        let sig = Signature {
            params: vec![Type::I64, Type::I32],
            results: vec![Type::I32, Type::I64],
        };
        let mut f = Function::new("every thing \"quoted\"", sig.clone());
        let callee = f.import_signature(sig);
        let b0 = f.create_block();
        let b1 = f.create_block();
        let b2 = f.create_block();
        f.append_block(b0);
        f.append_block(b1);
        f.append_block(b2);
        let vm = f.append_block_param(b0, Type::I64);
        let x = f.append_block_param(b0, Type::I32);
        let p = f.append_block_param(b1, Type::I32);
        let r = |f: &Function, i: Inst| f.results(i)[0];
        let c = f.append_inst(
            b0,
            Iconst {
                ty: Type::I32,
                imm: -5,
            },
            &[Type::I32],
            0x12,
        );
        let c = r(&f, c);
        let big = f.append_inst(
            b0,
            Iconst {
                ty: Type::I64,
                imm: i64::MIN,
            },
            &[Type::I64],
            0,
        );
        let big = r(&f, big);
        f.append_inst(b0, F32const { bits: 0x7fc0_0001 }, &[Type::F32], 0);
        let d = f.append_inst(
            b0,
            F64const {
                bits: 0x8000_0000_0000_0000,
            },
            &[Type::F64],
            0,
        );
        let d = r(&f, d);
        f.append_inst(
            b0,
            V128const {
                bytes: 0x0001_0203_0405_0607_0809_0a0b_0c0d_0e0f,
            },
            &[Type::V128],
            0,
        );
        let null = f.append_inst(b0, RefNull, &[Type::Ref], 0);
        let null = r(&f, null);
        f.append_inst(b0, IsNull { arg: null }, &[Type::I32], 0);
        f.append_inst(
            b0,
            Unary {
                op: UnaryOp::Popcnt,
                ty: Type::I32,
                arg: x,
            },
            &[Type::I32],
            0,
        );
        f.append_inst(
            b0,
            Binary {
                op: BinaryOp::Rotr,
                ty: Type::I32,
                args: [x, c],
            },
            &[Type::I32],
            0,
        );
        let cmp = f.append_inst(
            b0,
            Icmp {
                cond: IntCC::Uge,
                ty: Type::I32,
                args: [x, c],
            },
            &[Type::I32],
            0,
        );
        let cmp = r(&f, cmp);
        f.append_inst(
            b0,
            Fcmp {
                cond: FloatCC::Le,
                ty: Type::F64,
                args: [d, d],
            },
            &[Type::I32],
            0,
        );
        f.append_inst(
            b0,
            Conv {
                op: ConvOp::FcvtToUintSat,
                from: Type::F64,
                to: Type::I64,
                arg: d,
            },
            &[Type::I64],
            0,
        );
        f.append_inst(
            b0,
            Select {
                ty: Type::I32,
                cond: cmp,
                args: [x, c],
            },
            &[Type::I32],
            0,
        );
        let heap = f.append_inst(
            b0,
            LoadPtr {
                ty: Type::I64,
                ptr: vm,
                offset: 0,
                readonly: true,
            },
            &[Type::I64],
            0,
        );
        let heap = r(&f, heap);
        f.append_inst(
            b0,
            LoadPtr {
                ty: Type::I32,
                ptr: vm,
                offset: -8,
                readonly: false,
            },
            &[Type::I32],
            0,
        );
        f.append_inst(
            b0,
            StorePtr {
                ty: Type::I64,
                ptr: vm,
                offset: 16,
                value: big,
            },
            &[],
            0,
        );
        let ld = Load {
            ty: Type::I64,
            size: MemSize::S16,
            heap,
            addr: x,
            offset: u32::MAX,
        };
        f.append_inst(b0, ld, &[Type::I64], 0);
        f.append_inst(
            b0,
            Store {
                ty: Type::I32,
                size: MemSize::U8,
                heap,
                addr: x,
                offset: 3,
                value: c,
            },
            &[],
            0,
        );
        f.append_inst(
            b0,
            Call {
                func: 7,
                sig: callee,
                args: vec![vm, x],
            },
            &[Type::I32, Type::I64],
            0,
        );
        f.append_inst(
            b0,
            CallIndirect {
                sig: callee,
                callee: big,
                args: vec![vm, c],
            },
            &[Type::I32, Type::I64],
            0,
        );
        f.append_inst(
            b0,
            CallRuntime {
                func: RuntimeFn::TableGrow,
                args: vec![vm, x, null, c],
            },
            &[Type::I32],
            0,
        );
        f.append_inst(
            b0,
            Trapz {
                cond: cmp,
                code: TrapCode::IntegerDivideByZero,
            },
            &[],
            0,
        );
        f.append_inst(
            b0,
            Trapnz {
                cond: cmp,
                code: TrapCode::IndirectCallBadSig,
            },
            &[],
            0,
        );
        let then_dest = BlockCall {
            block: b1,
            args: vec![c],
        };
        let else_dest = BlockCall {
            block: b2,
            args: vec![],
        };
        f.append_inst(
            b0,
            Brif {
                cond: cmp,
                then_dest,
                else_dest,
            },
            &[],
            0,
        );
        f.append_inst(
            b1,
            BrTable {
                index: p,
                targets: vec![b2, b2],
                default: b2,
            },
            &[],
            0,
        );
        f.append_inst(b2, Return { args: vec![x, big] }, &[], 0);
        f
    }

    #[test]
    fn every_instruction_round_trips_exactly() {
        let f = every_instruction();
        let text = print_function(&f);
        let g = parse_function(&text).unwrap_or_else(|e| panic!("{}\n{}", e, text));
        assert_eq!(print_function(&g), text);
        assert_eq!(g.name, f.name);
        assert_eq!(g.sig, f.sig);
        assert_eq!(g.insts, f.insts);
        assert_eq!(g.inst_results, f.inst_results);
        assert_eq!(g.srclocs, f.srclocs);
        assert_eq!(g.layout, f.layout);
        for (a, b) in f.values.iter().zip(&g.values) {
            assert_eq!((a.ty, a.def), (b.ty, b.def));
        }
    }

    #[test]
    fn trap_after_return_is_a_new_statement() {
        let text = "function %f(i64) {\nblock0(v0: i64):\n    return\n    trap unreachable\n}\n";
        let f = parse_function(text).unwrap();
        assert_eq!(f.blocks[0].insts.len(), 2);
    }

    #[test]
    fn gaps_in_value_numbers_get_detached_placeholders() {
        let text = "function %f(i64) -> i32 {\nblock0(v0: i64):\n    v5 = iconst.i32 1\n    return v5\n}\n";
        let f = parse_function(text).unwrap();
        assert_eq!(f.values.len(), 6);
        assert_eq!(f.value_type(Value(5)), Type::I32);
        assert_eq!(print_function(&f), text);
        for v in 1..5 {
            let ValueDef::Result(inst, 0) = f.values[v].def else {
                panic!("v{} has no placeholder", v)
            };
            assert_eq!(f.inst_results[inst.index()], vec![Value(v as u32)]);
            assert!(f.blocks.iter().all(|b| !b.insts.contains(&inst)));
        }
    }

    fn error_of(text: &str) -> String {
        parse_function(text).map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn errors_carry_line_and_column() {
        let head = "function %f(i64) -> i32 {\nblock0(v0: i64):\n";
        assert_eq!(
            error_of(&format!("{}    return v3\n}}", head)),
            "3:12: v3 is used but never defined"
        );
        assert_eq!(
            error_of(&format!("{}    v1 = iadd.i33 v0, v0\n}}", head)),
            "3:10: unknown type 'i33' in 'iadd.i33'"
        );
        assert_eq!(
            error_of(&format!("{}    v1 = iconst.i32 4294967296\n}}", head)),
            "3:21: i32 constant 4294967296 out of range"
        );
        assert_eq!(
            error_of(&format!("{}    jump block9\n}}", head)),
            "3:5: block9 is not defined"
        );
        assert_eq!(
            error_of(&format!("{}    v0 = iconst.i32 1\n}}", head)),
            "3:5: v0 is defined twice"
        );
        assert_eq!(
            error_of(&format!("{}    v1, v2 = iconst.i32 1\n}}", head)),
            "3:5: instruction has 1 result(s), 2 named"
        );
        assert_eq!(
            error_of(&format!("{}    v1 = call fn0 sig0(v0)\n}}", head)),
            "3:5: sig0 is not declared"
        );
        assert_eq!(
            error_of("function %f("),
            "1:13: expected a type, found end of input"
        );
        assert_eq!(
            error_of("function %f() { # }"),
            "1:17: unexpected character '#'"
        );
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        for text in [
            "",
            "}",
            "function",
            "function %\"",
            "function %f() {\nblock99999999999:",
            "function %f() {\nblock0:\n v1 = f64const 0x1ffffffffffffffff\n}",
            "function %f() {\nblock0:\n v1 = iconst.i32 --1\n}",
            "function %f() -> ( {",
        ] {
            assert!(parse_function(text).is_err(), "{:?} parsed", text);
        }
    }
}
