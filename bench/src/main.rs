fn main() { eprintln!("wasmc-bench: not yet implemented (issue 6)"); std::process::exit(2); }
