//! `style.rs` row by row against the OpenAPI 3.0 "Style Examples" table
//! (`color` is `blue`, the list `blue, black, brown`, the object
//! `R=100, G=200, B=150`), with its `label` rows as RFC 6570 and OpenAPI
//! 3.0.4 write them. Not copied into generated crates.

use serde::Serialize;

use super::send::Request;
use super::style::{Style, Tree, header_text, path_text, push_path, query_pairs};

/// The object of the table, as a generated struct would be (fields in
/// order, an absent optional field left out).
#[derive(Serialize)]
struct Rgb {
    #[serde(rename = "R")]
    r: u8,
    #[serde(rename = "G")]
    g: u8,
    #[serde(rename = "B")]
    b: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    alpha: Option<u8>,
}

const RGB: Rgb = Rgb { r: 100, g: 200, b: 150, alpha: None };
const LIST: [&str; 3] = ["blue", "black", "brown"];

fn tree<T: Serialize + ?Sized>(value: &T) -> Tree {
    Tree::of("color", value).unwrap()
}

/// The query string a parameter makes.
fn query<T: Serialize + ?Sized>(style: Style, value: &T) -> String {
    let pairs = query_pairs("color", style, &tree(value));
    pairs.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
}

fn path<T: Serialize + ?Sized>(style: Style, value: &T) -> String {
    path_text("color", style, &tree(value))
}

#[test]
fn matrix_rows() {
    let style = Style::matrix(false);
    assert_eq!(path(style, &()), ";color");
    assert_eq!(path(style, "blue"), ";color=blue");
    assert_eq!(path(style, &LIST), ";color=blue,black,brown");
    assert_eq!(path(style, &RGB), ";color=R,100,G,200,B,150");
    let style = Style::matrix(true);
    assert_eq!(path(style, &()), ";color");
    assert_eq!(path(style, "blue"), ";color=blue");
    assert_eq!(path(style, &LIST), ";color=blue;color=black;color=brown");
    assert_eq!(path(style, &RGB), ";R=100;G=200;B=150");
}

#[test]
fn label_rows() {
    let style = Style::label(false);
    assert_eq!(path(style, &()), ".");
    assert_eq!(path(style, "blue"), ".blue");
    assert_eq!(path(style, &LIST), ".blue,black,brown");
    assert_eq!(path(style, &RGB), ".R,100,G,200,B,150");
    let style = Style::label(true);
    assert_eq!(path(style, &()), ".");
    assert_eq!(path(style, "blue"), ".blue");
    assert_eq!(path(style, &LIST), ".blue.black.brown");
    assert_eq!(path(style, &RGB), ".R=100.G=200.B=150");
}

#[test]
fn form_rows() {
    let style = Style::form(false);
    assert_eq!(query(style, &()), "color=");
    assert_eq!(query(style, "blue"), "color=blue");
    assert_eq!(query(style, &LIST), "color=blue,black,brown");
    assert_eq!(query(style, &RGB), "color=R,100,G,200,B,150");
    let style = Style::form(true);
    assert_eq!(query(style, &()), "color=");
    assert_eq!(query(style, "blue"), "color=blue");
    assert_eq!(query(style, &LIST), "color=blue&color=black&color=brown");
    assert_eq!(query(style, &RGB), "R=100&G=200&B=150");
}

#[test]
fn simple_rows() {
    for explode in [false, true] {
        let style = Style::simple(explode);
        assert_eq!(path(style, "blue"), "blue");
        assert_eq!(path(style, &LIST), "blue,black,brown");
        assert_eq!(header_text(style, &tree("blue")), "blue");
        assert_eq!(header_text(style, &tree(&LIST)), "blue,black,brown");
    }
    assert_eq!(path(Style::simple(false), &RGB), "R,100,G,200,B,150");
    assert_eq!(path(Style::simple(true), &RGB), "R=100,G=200,B=150");
    assert_eq!(header_text(Style::simple(false), &tree(&RGB)), "R,100,G,200,B,150");
    assert_eq!(header_text(Style::simple(true), &tree(&RGB)), "R=100,G=200,B=150");
}

#[test]
fn delimited_and_deep_object_rows() {
    assert_eq!(query(Style::space_delimited(false), &LIST), "color=blue%20black%20brown");
    assert_eq!(query(Style::space_delimited(false), &RGB), "color=R%20100%20G%20200%20B%20150");
    assert_eq!(query(Style::pipe_delimited(false), &LIST), "color=blue|black|brown");
    assert_eq!(query(Style::pipe_delimited(false), &RGB), "color=R|100|G|200|B|150");
    assert_eq!(query(Style::deep_object(), &RGB), "color[R]=100&color[G]=200&color[B]=150");
}

#[test]
fn rows_the_table_leaves_undefined_are_written_form_exploded() {
    assert_eq!(query(Style::space_delimited(true), &LIST), "color=blue&color=black&color=brown");
    assert_eq!(query(Style::pipe_delimited(true), &LIST), "color=blue&color=black&color=brown");
    assert_eq!(query(Style::deep_object(), &LIST), "color=blue&color=black&color=brown");
    assert_eq!(query(Style::deep_object(), "blue"), "color=blue");
    assert_eq!(query(Style::pipe_delimited(false), "blue"), "color=blue");
}

#[test]
fn deep_objects_nest_brackets_and_index_lists() {
    #[derive(Serialize)]
    struct At {
        floor: u8,
    }
    #[derive(Serialize)]
    struct Filter {
        room: &'static str,
        tags: [&'static str; 2],
        at: At,
        gone: Option<u8>,
    }
    let value = Filter { room: "kitchen", tags: ["a b", "c"], at: At { floor: 2 }, gone: None };
    assert_eq!(
        query(Style::deep_object(), &value),
        "color[room]=kitchen&color[tags][0]=a%20b&color[tags][1]=c&color[at][floor]=2"
    );
}

#[test]
fn values_are_percent_encoded_and_delimiters_are_not() {
    let list = ["a,b", "c d", "e|f", "g&h=i#"];
    assert_eq!(query(Style::form(false), &list), "color=a%2Cb,c%20d,e%7Cf,g%26h%3Di%23");
    assert_eq!(query(Style::form(true), &list), "color=a%2Cb&color=c%20d&color=e%7Cf&color=g%26h%3Di%23");
    assert_eq!(query(Style::pipe_delimited(false), &list), "color=a%2Cb|c%20d|e%7Cf|g%26h%3Di%23");
    assert_eq!(path(Style::simple(false), &list), "a%2Cb,c%20d,e%7Cf,g%26h%3Di%23");
    assert_eq!(path(Style::label(true), &["a.b", "c/d"]), ".a.b.c%2Fd");
    assert_eq!(path(Style::matrix(true), &["a;b"]), ";color=a%3Bb");
    // Object keys are encoded too, as names (exploded) or as items.
    let object = serde_json::json!({"a b": "c/d"});
    assert_eq!(query(Style::form(true), &object), "a%20b=c%2Fd");
    assert_eq!(query(Style::deep_object(), &object), "color[a%20b]=c%2Fd");
    // Header values are not percent-encoded.
    assert_eq!(header_text(Style::simple(false), &tree(&["a b", "c/d"])), "a b,c/d");
}

#[test]
fn allow_reserved_keeps_reserved_characters_that_leave_the_query_intact() {
    let style = Style::form(true).allow_reserved();
    assert_eq!(query(style, "a/b?c:d@e!f$g'h(i)j*k,l;m=n[o]"), "color=a/b?c:d@e!f$g'h(i)j*k,l;m=n[o]");
    // `#`, `&` and `+` would end the query, start a parameter or read as a space.
    assert_eq!(query(style, "a#b&c+d e%"), "color=a%23b%26c%2Bd%20e%25");
    assert_eq!(query(Style::form(true), "a/b"), "color=a%2Fb");
}

#[test]
fn numbers_booleans_and_nested_values_keep_their_json_text() {
    let value = serde_json::json!([1, 2.5, 100.0, true, {"x": [1, "y"]}, null]);
    assert_eq!(query(Style::form(false), &value), "color=1,2.5,100.0,true,%7B%22x%22%3A%5B1%2C%22y%22%5D%7D,");
    assert_eq!(path(Style::simple(false), &7_i64), "7");
}

#[test]
fn requests_collect_styled_parameters() {
    let mut request = Request::default();
    request.push_query("$top", "1 2");
    request.query_as("color", Style::form(true), &RGB).unwrap();
    request.header_as("X-Color", Style::simple(true), &RGB).unwrap();
    request.cookie_as("color", Style::form(false), &LIST).unwrap();
    request.push_cookie("session", "a;b");
    let query: Vec<(&str, &str)> = request.query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(query, [("$top", "1%202"), ("R", "100"), ("G", "200"), ("B", "150")]);
    assert_eq!(request.headers, [("X-Color", "R=100,G=200,B=150".to_owned())]);
    let cookies: Vec<(&str, &str)> = request.cookies.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(cookies, [("color", "blue,black,brown"), ("session", "a%3Bb")]);
    let mut segment = String::from("/items/");
    push_path(&mut segment, "id", Style::matrix(false), &LIST).unwrap();
    assert_eq!(segment, "/items/;id=blue,black,brown");
}
