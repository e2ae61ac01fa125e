// The built-in letters and jurisdictions are embedded with include_dir, which cannot tell cargo
// to rebuild when they change on a stable compiler; these lines do.
fn main() {
    println!("cargo:rerun-if-changed=letters");
    println!("cargo:rerun-if-changed=jurisdictions");
}
