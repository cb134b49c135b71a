//! Stand-in for a generated filter module, never copied: it includes the
//! fixed half every filter module ends with, after a field constructor of
//! each kind, written as the generator writes them.

include!("filter/expression.rs");
include!("filter/string_literal.rs");
include!("filter/number_literal.rs");

/// A string field, as the generator writes one.
pub fn name() -> Name {
    Name(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name(());

impl Name {
    pub fn eq(self, value: &str) -> Filter {
        Filter::comparison("name", "eq", string_literal(value))
    }
}

/// A number field, as the generator writes one.
pub fn amount() -> Amount {
    Amount(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount(());

impl Amount {
    pub fn ge(self, value: f64) -> Filter {
        Filter::comparison("amount", "ge", number_literal(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted_and_escaped() {
        assert_eq!(name().eq("O'Brien").to_string(), "name eq 'O''Brien'");
        assert_eq!(amount().ge(2000.5).to_string(), "amount ge 2000.5");
        assert_eq!(amount().ge(f64::NAN).to_string(), "amount ge NaN");
        assert_eq!(amount().ge(f64::NEG_INFINITY).to_string(), "amount ge -INF");
    }

    #[test]
    fn parentheses_only_where_precedence_needs_them() {
        let (a, b, c) = (name().eq("a"), name().eq("b"), amount().ge(1.0));
        assert_eq!((a.clone() & b.clone() | c.clone()).to_string(), "name eq 'a' and name eq 'b' or amount ge 1");
        assert_eq!((a.clone() & (b.clone() | c.clone())).to_string(), "name eq 'a' and (name eq 'b' or amount ge 1)");
        assert_eq!((!(a.clone() | b)).to_string(), "not (name eq 'a' or name eq 'b')");
        assert_eq!(Filter::raw("x gt 1").or(a).to_string(), "(x gt 1) or name eq 'a'");
    }
}
