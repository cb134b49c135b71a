fn main(){ println!("{}", codegen::f()); }
