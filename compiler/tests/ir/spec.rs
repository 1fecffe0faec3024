//! The functions of the official spec test suite, as the translator produces them: real
//! input for the pass pipeline.

use std::fs;
use std::path::{Path, PathBuf};
use wasmc::decode;
use wasmc::ir::Function;
use wasmc::translate;
use wasmc::vmctx::VmctxLayout;

/// `shared/` sits beside the repository (`main/`), in a work tree and in CI alike.
fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/wasm-2.0")
}

/// Every defined function of every module in the suite that decodes, validates and
/// translates (SIMD is not translated yet), labelled `script.wast:line#index`.
pub fn spec_functions() -> Vec<(String, Function)> {
    use wast::{lexer::Lexer, parser, QuoteWat, Wast, WastDirective};
    let dir = spec_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {}", dir.display(), e))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    paths.sort();
    let mut functions = Vec::new();
    for path in &paths {
        let text = fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {}", path.display(), e));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut lexer = Lexer::new(&text);
        lexer.allow_confusing_unicode(true);
        let Ok(buffer) = parser::ParseBuffer::new_with_lexer(lexer) else {
            continue;
        };
        let Ok(wast) = parser::parse::<Wast>(&buffer) else {
            continue;
        };
        for directive in wast.directives {
            let (line, _) = directive.span().linecol_in(&text);
            let mut module: QuoteWat = match directive {
                WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => m,
                _ => continue,
            };
            let Ok(bytes) = module.encode() else { continue };
            let Ok(module) = decode::parse(&bytes) else {
                continue;
            };
            if wasmc::validate::validate(&module, &bytes).is_err() {
                continue;
            }
            let layout = VmctxLayout::new(
                module.types.len() as u32,
                module.num_funcs(),
                module.num_tables(),
                module.num_globals(),
            );
            for defined in 0..module.functions.len() as u32 {
                if let Ok(func) = translate::translate_function(&module, &bytes, defined, &layout) {
                    functions.push((format!("{}:{}#{}", name, line + 1, defined), func));
                }
            }
        }
    }
    functions
}
