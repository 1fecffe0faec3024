//! Translation never panics and never recurses deeply, whatever the body.

use crate::layout_of;
use std::fs;
use wasmc::decode;
use wasmc::translate;

/// Translation must not panic even on bodies the validator would reject: mutate bytes of
/// the function bodies of spec modules (deterministically) and translate without validating.
#[test]
fn translation_never_panics_on_unvalidated_bodies() {
    use wast::{lexer::Lexer, parser, QuoteWat, Wast, WastDirective};
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut cases, mut translated) = (0usize, 0usize);
    let mut panics = Vec::new();
    for name in [
        "block",
        "loop",
        "if",
        "br_table",
        "call_indirect",
        "local_tee",
        "select",
        "memory_grow",
        "bulk",
        "ref_func",
        "unreached-valid",
    ] {
        let path = format!("/work/shared/spec/wasm-2.0/{name}.wast");
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let mut lexer = Lexer::new(&text);
        lexer.allow_confusing_unicode(true);
        let Ok(buffer) = parser::ParseBuffer::new_with_lexer(lexer) else { continue };
        let Ok(script) = parser::parse::<Wast>(&buffer) else { continue };
        for directive in script.directives {
            let WastDirective::Module(mut module): WastDirective = directive else { continue };
            let module: &mut QuoteWat = &mut module;
            let Ok(bytes) = module.encode() else { continue };
            let Ok(original) = decode::parse(&bytes) else { continue };
            for (defined, range) in original.code.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
                let defined = defined as u32;
                for _ in 0..30 {
                    let mut mutated = bytes.clone();
                    for _ in 0..1 + next() % 3 {
                        let at = range.start + (next() as usize) % range.len();
                        mutated[at] = next() as u8;
                    }
                    let Ok(m) = decode::parse(&mutated) else { continue };
                    let layout = layout_of(&m);
                    cases += 1;
                    match std::panic::catch_unwind(|| translate::translate_function(&m, &mutated, defined, &layout)) {
                        Ok(Ok(_)) => translated += 1,
                        Ok(Err(_)) => {}
                        Err(_) => panics.push(format!("{path}: function {defined} of a mutated module panicked")),
                    }
                }
            }
        }
    }
    println!("{cases} mutated functions, {translated} translated without validation, {} panics", panics.len());
    assert!(cases > 1000, "only {cases} cases");
    assert!(panics.is_empty(), "{}", panics.join("\n"));
}

/// Deep nesting is translated without recursion: 20000 nested `if`s, each writing a local.
#[test]
fn deeply_nested_control_translates() {
    const DEPTH: usize = 20_000;
    let mut body = String::new();
    for i in 0..DEPTH {
        body.push_str(&format!("(if (local.get 0) (then (local.set 1 (i32.const {i}))"));
    }
    body.push_str(&"))".repeat(DEPTH));
    let wat = format!("(module (func (param i32) (result i32) (local i32) {body} (local.get 1)))");
    let bytes = wat::parse_str(&wat).expect("valid text");
    let module = decode::parse(&bytes).expect("decodes");
    let func = translate::translate_function(&module, &bytes, 0, &layout_of(&module)).expect("translates");
    // Each `if` adds its arm and its join; each join merges two values of local 1.
    assert_eq!(func.layout.len(), 1 + 2 * DEPTH);
    let joins_with_param = func.layout.iter().filter(|b| func.blocks[b.index()].params.len() == 1).count();
    assert_eq!(joins_with_param, DEPTH);
}

/// A SIMD operator keeps its offset in the module as the instruction's source location.
#[test]
fn simd_instructions_carry_their_offset() {
    let bytes = wat::parse_str("(module (func (local v128) (drop (i32.const 7)) (local.set 0 (v128.const i64x2 0 0))))")
        .expect("valid text");
    let module = decode::parse(&bytes).expect("decodes");
    let func = translate::translate_function(&module, &bytes, 0, &layout_of(&module)).expect("SIMD translates");
    // v128.const is 0xFD followed by the LEB128 opcode 12.
    let at = bytes.windows(2).position(|w| w == [0xFD, 0x0C]).expect("v128.const in the body");
    let constant = func.insts.iter().position(|i| matches!(i, wasmc::ir::InstData::V128const { bytes: 0 }));
    assert_eq!(constant.map(|i| func.srclocs[i] as usize), Some(at));
}
