//! Calls every operation of `tests/fixtures/specs/adversarial-names.yaml`
//! (see `common.rs` for how it is run): operations, parameters and
//! properties named after Rust keywords, the client's own items, digits,
//! punctuation and non-ASCII text. Every wire name must reach the server as
//! the spec spells it: query names with a space, a dot, `@` or Japanese,
//! non-ASCII path segments, a body that sets every awkward property, and a
//! `$filter` built from fields that clash with the filter module's items.
//!
//! The spec has no examples, so Prism answers with values it makes up from
//! the schemas; the driver decodes them (a failure to decode fails the call)
//! and checks the one state that drives the 3-D Secure wait. That wait ends
//! at once: Prism's challenge is in the success state `>=`. The
//! `Idempotency-Key` is set, so the recording does not change from run to run.
//!
//! `名前で探す` (`/catalogue/{名前}/{Größe}`) is checked by the recording
//! only: Prism 5 reads path parameters by matching the path against the
//! template as an RFC 6570 URI template, whose variable names are ASCII
//! letters, digits and `_`, so the match fails and Prism reports both
//! required parameters missing ("Request path must have required property
//! '名前'"), though the same path against `{a}/{b}` gives `名前` and `übergroß`.

mod common;

use std::fmt::Display;
use std::time::Duration;

use client::chrono::{TimeZone, Utc};
use client::client::Polling;
use client::filter;
use client::types::{
    FromModel, Groesse, IntoModel, Match, Match2, Mood, Ordering, Outcome, ResultModelChallengeState,
    SendToCabinetSend, StringModel, SyncModel, T3dSecure, T3dSecure3dsVersion, Tier, Type,
};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).build().expect("client");
    let mut report = common::Report::default();

    // `$filter` fields named like the filter module's own items and like
    // keywords, one differing from another only by case, navigation paths.
    let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().expect("date");
    let filter = filter::from()
        .ge(since)
        .and(filter::type_().eq("co-op"))
        .and(filter::self_().eq(true).or(filter::self_2().eq(false)))
        .and(filter::filter().eq("it's"))
        .and(filter::expr().gt(3))
        .and(filter::raw().eq("raw"))
        .and(filter::string_literal_2().eq("a'b"))
        .and(filter::number_literal_2().eq(1.5))
        .and(filter::user_id().eq("u1"))
        .and(filter::user_id_2().eq("u2"))
        .and(filter::grosse().eq("übergroß"))
        .and(filter::score_total().ge(10.0))
        .and(filter::winner_u540d_u524d().eq("名前"))
        .and(filter::to().lt(since));
    let call = client
        .match_()
        .filter(filter)
        .type_(Type::SelfValue2)
        .self_(true)
        .async_(false)
        .client_2("cabinet OS")
        .body_2("upright")
        .send_2(true)
        .new_2(false)
        .with_space("a b")
        .x_y(7)
        .kebab_case("k-c")
        .grosse("M")
        .u540d_u524d("名前")
        ._1st_place("ana")
        .id("urn:match:1")
        .x_request_id("r-1")
        .x_request_id_2("r-2");
    report.call("match", seen!(call.send_with_response().await));

    let key = client::uuid::uuid!("0f8fad5b-d9cb-469f-a165-70867728950e");
    report.call("fn", seen!(client.fn_(awkward_match()).idempotency_key(key).send_with_response().await));
    report.call("Self", seen!(client.self_("m 1/2").send_with_response().await));
    report.call("crate", seen!(client.crate_("m1").send_with_response().await));
    report.call("super", seen!(client.super_("m1", awkward_match()).send_with_response().await));
    report.call("try", seen!(client.try_("m1").body(awkward_match()).send_with_response().await));
    report.call("try (no body)", seen!(client.try_("m1").send_with_response().await));

    report.call("getThing", seen!(client.get_thing(Type::CoOp).send_with_response().await));
    report.call("GetThing", seen!(client.get_thing_2(Type::Fn).send_with_response().await));
    report.call("get_thing", seen!(client.get_thing_3(Type::SelfValue).send_with_response().await));
    report.call("upsertThing", seen!(client.upsert_thing(Type::Match).send_with_response().await));
    let call = client.upsert_thing_response(Type::Type);
    report.call("upsertThingResponse", seen!(call.send_with_response().await));

    report.call("new", seen!(client.new_2().send_with_response().await));
    let message = StringModel { string: "hello \"cabinets\"".into(), option: Some("none".into()) };
    let call = client.send_to_cabinet("cab 1", "tpl/α", SendToCabinetSend::Later, message.clone());
    let call = call.new_2(true).self_("me").polling(5);
    report.call("sendToCabinet", seen!(call.send_with_response().await));
    report.call("builder", seen!(client.builder_2().send_with_response().await));
    report.call("base_url", seen!(client.base_url_2().send_with_response().await));
    let call = client.execute_2().body("reboot --all\n");
    report.call("execute", seen!(call.send_with_response().await));
    report.call("send", seen!(client.send_2().body(message).send_with_response().await));
    report.call("request", seen!(client.request().send_with_response().await));
    report.call("reply", seen!(client.reply().send_with_response().await));
    report.call("client", seen!(client.client().send_with_response().await));
    report.call("clone", seen!(client.clone_2().send_with_response().await));
    report.call("url", seen!(client.url_2().send_with_response().await));
    report.call("attempt", seen!(client.attempt_2().send_with_response().await));
    report.call("credential", seen!(client.credential_2().send_with_response().await));
    report.call("http_client", seen!(client.http_client_2().send_with_response().await));
    report.call("auth", seen!(client.auth_2().send_with_response().await));

    let card = T3dSecure { card_token: "tok_1".into(), _3ds_version: Some(T3dSecure3dsVersion::V22) };
    let call = client._3d_secure(card.clone()).send_and_wait_2(true);
    report.call("3dSecure", seen!(call.send_with_response().await));
    // The wait, bounded: Prism's challenge is already in its success state.
    let polling = Polling::new(Duration::ZERO, Duration::ZERO);
    let waited = client._3d_secure(card).send_and_wait(polling).await;
    waited_for(&mut report, "3dSecure (send_and_wait)", waited.map(|challenge| challenge.state));
    let waited = client.wait_for_challenge_2("ch 1".into(), polling).await;
    waited_for(&mut report, "wait_for_challenge_2", waited.map(|challenge| challenge.state));
    report.call("getChallenge", seen!(client.get_challenge("ch 1").send_with_response().await));
    report.call("fetchChallenge", seen!(client.fetch_challenge("ch 1").send_with_response().await));
    report.call("waitForChallenge", seen!(client.wait_for_challenge("ch 1").send_with_response().await));
    report.call("poll_challenge", seen!(client.poll_challenge("ch 1").send_with_response().await));

    // Prism cannot read path parameters with non-ASCII names (see the top
    // of this file): to the wire check only.
    if args.proxy.is_some() {
        let call = client.u540d_u524d_u3067_u63a2_u3059("名前", Groesse::Ubergross).cafe(true);
        report.call("名前で探す", seen!(call.send_with_response().await));
    }
    let call = client.async_(-1).order(Ordering::Minus1).tier(Tier::Min);
    report.call("async", seen!(call.send_with_response().await));
    report.call("gen", seen!(client.gen_().send_with_response().await));
    report.call("types", seen!(client.types().send_with_response().await));
    report.call("Box", seen!(client.box_().send_with_response().await));
    report.call("error", seen!(client.error().send_with_response().await));
    report.call("errorText", seen!(client.error_text().send_with_response().await));
    report.call("from", seen!(client.from().send_with_response().await));
    report.call("into", seen!(client.into_2().send_with_response().await));
    report.finish()
}

/// A match that sets every property, each under its awkward wire name.
fn awkward_match() -> Match2 {
    Match2 {
        id: "urn:match:1".into(),
        type_: Some("Match".into()),
        filter: Some("$filter".into()),
        type_2: Type::CoOp,
        self_: Some("https://arcade.example.com/matches/1".into()),
        self_2: Some("Self".into()),
        fn_: Some("fn".into()),
        match_: Some(Match::Drawn),
        async_: Some(true),
        crate_: Some("crate".into()),
        super_: Some("super".into()),
        gen_: Some(2024),
        try_: Some(-1),
        user_id: Some("userId".into()),
        user_id_2: Some("user_id".into()),
        user_id_3: Some("UserID".into()),
        x_y: Some("x.y".into()),
        x_y_2: Some("x-y".into()),
        kebab_case: Some("kebab-case".into()),
        with_space: Some("with space".into()),
        grosse: Some(Groesse::Ubergrosse),
        cafe: Some("café".into()),
        cafe_2: Some("cafe".into()),
        u540d_u524d: Some("名前".into()),
        u540d: Some("名".into()),
        _3d_secure: Some(false),
        value: Some("empty name".into()),
        underscore: Some("_".into()),
        underscore_underscore: Some("__".into()),
        r_type: Some("r#type".into()),
        value_2: Some("value".into()),
        outcome: Some(Outcome::Space),
        mood: Some(Mood::U1f44dU1f3fd),
        ordering: Some(Ordering::V1),
        tier: Some(Tier::Max),
        from: Some(FromModel { from: Some("a".into()), to: Some("b".into()) }),
        into: Some(IntoModel::Outbound),
        sync: Some(SyncModel { cursor: Some("c1".into()) }),
    }
}

/// The outcome of a wait: the state it ended in must be the success state.
fn waited_for<E: Display>(report: &mut common::Report, name: &str, outcome: Result<ResultModelChallengeState, E>) {
    match outcome {
        Ok(ResultModelChallengeState::GtEq) => println!("{name}: ended in state >="),
        Ok(other) => report.fail(name, format!("ended in state {}", other.as_str())),
        Err(error) => report.fail(name, error.to_string()),
    }
}
