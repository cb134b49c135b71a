// The fixed half of a generated `$filter` module: the expression type,
// how expressions combine, and their OData text. It is placed at the end of
// each generated filter module, after the spec's field constructors.

/// A `$filter` expression. Build one from the field constructors in this
/// module, combine with [`and`](Filter::and), [`or`](Filter::or) and `!`
/// (not); its `Display` is the OData text, with parentheses wherever
/// precedence needs them.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Comparison(String),
    Raw(String),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

impl Filter {
    fn comparison(field: &str, operator: &str, literal: String) -> Self {
        Self { expr: Expr::Comparison(format!("{field} {operator} {literal}")) }
    }

    /// An expression written by hand, for what the typed constructors do not
    /// cover. It is sent as given, in parentheses when combined with others;
    /// the caller is responsible for escaping any literals in it.
    pub fn raw(expression: impl Into<String>) -> Self {
        Self { expr: Expr::Raw(expression.into()) }
    }

    /// Both this and `other` must hold.
    pub fn and(self, other: Filter) -> Self {
        Self { expr: Expr::And(Box::new(self.expr), Box::new(other.expr)) }
    }

    /// This or `other` (or both) must hold.
    pub fn or(self, other: Filter) -> Self {
        Self { expr: Expr::Or(Box::new(self.expr), Box::new(other.expr)) }
    }
}

impl std::ops::Not for Filter {
    type Output = Filter;

    /// This must not hold.
    fn not(self) -> Filter {
        Filter { expr: Expr::Not(Box::new(self.expr)) }
    }
}

impl std::ops::BitAnd for Filter {
    type Output = Filter;

    fn bitand(self, other: Filter) -> Filter {
        self.and(other)
    }
}

impl std::ops::BitOr for Filter {
    type Output = Filter;

    fn bitor(self, other: Filter) -> Filter {
        self.or(other)
    }
}

/// Binding strength, loosest first: where a sub-expression needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    Top,
    Or,
    And,
}

impl Expr {
    fn write(&self, f: &mut std::fmt::Formatter<'_>, context: Context) -> std::fmt::Result {
        match self {
            Expr::Comparison(text) => f.write_str(text),
            Expr::Raw(text) if context == Context::Top => f.write_str(text),
            Expr::Raw(text) => write!(f, "({text})"),
            Expr::And(left, right) => {
                let grouped = context > Context::And;
                if grouped {
                    f.write_str("(")?;
                }
                left.write(f, Context::And)?;
                f.write_str(" and ")?;
                right.write(f, Context::And)?;
                if grouped {
                    f.write_str(")")?;
                }
                Ok(())
            }
            Expr::Or(left, right) => {
                let grouped = context > Context::Or;
                if grouped {
                    f.write_str("(")?;
                }
                left.write(f, Context::Or)?;
                f.write_str(" or ")?;
                right.write(f, Context::Or)?;
                if grouped {
                    f.write_str(")")?;
                }
                Ok(())
            }
            // `not` binds tighter than comparisons in OData, so its operand
            // is always in parentheses.
            Expr::Not(inner) => {
                f.write_str("not (")?;
                inner.write(f, Context::Top)?;
                f.write_str(")")
            }
        }
    }
}

impl std::fmt::Display for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.write(f, Context::Top)
    }
}
