fn main() {
    eprintln!("wasmc: not yet wired");
    std::process::exit(2);
}
