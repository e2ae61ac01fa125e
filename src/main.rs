fn main() -> std::process::ExitCode {
    iep::main()
}
