//! Calls every operation of `tests/fixtures/specs/schemas.yaml` (see
//! `common.rs` for how it is run), sending the spec's schema features as a
//! client would: required and nullable fields (`deletedAt: null`), write-only
//! ones, maps, integer and string enums, a nullable `allOf` reference, inline
//! nested objects, a tagged union by its mapping, a recursive tagged union
//! (the spec's own request example), free-form JSON, and a deprecated
//! parameter and operation.
//!
//! Every response the spec gives an example for must decode to that example:
//! the tagged unions to their variants (an `allOf` hierarchy, a `oneOf` with
//! and without a mapping), the untagged `anyOf`, recursive types, maps and
//! `additionalProperties`. One value differs, by Prism: the example's int64
//! `9007199254740993` (above 2^53) reaches the client as `9007199254740992`,
//! since Prism holds numbers as JavaScript doubles. Prism warns that
//! `listCustomers`' `sort` is deprecated, which it is: that warning alone is
//! let through.

#![allow(deprecated, reason = "the spec deprecates a parameter, an operation and fields; they are called and set")]

mod common;

use std::collections::BTreeMap;

use client::chrono::{DateTime, NaiveDate, TimeZone, Utc};
use client::types::{
    AndCondition, AndConditionOp, BankTransferPayment, Boiler, CardPayment, Category, Condition, CreateWorkOrderBody,
    CreateWorkOrderBodySite, CreateWorkOrderBodyTasksItem, Customer, CustomerPreferences,
    CustomerPreferencesChannelsItem, CustomerRef, Employee, Equipment, Event, EventKind, FieldCondition,
    FieldConditionOp, Formats, Identifier, ListCustomersOrderByItem, ListCustomersResponse, ListCustomersStatus,
    NotCondition, NotConditionOp, Payment, Person, Priority, Pump, Rating, RoutingRule, Site, Step, StrictAddress,
    TagTreeItem, Team, Tier, WorkOrder, WorkOrderClosed, WorkOrderClosedEventType, WorkOrderClosedResolution,
    WorkOrderOpened, WorkOrderOpenedEventType, WorkOrderStatus,
};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("time")
}

fn text(value: &str) -> String {
    value.to_owned()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).build().expect("client");
    let mut report = common::Report::default();
    let customer_id = client::uuid::uuid!("1d1c7a52-0d4b-4f7c-8c55-0f0e7f4ad001");

    customers(&client, &mut report, customer_id).await;

    report.call("listTechnicians", seen!(client.list_technicians().send_with_response().await));
    report.call("getSchedule", seen!(client.get_schedule(42).send_with_response().await));

    let order = CreateWorkOrderBody {
        customer_id,
        summary: text("Boiler makes a knocking noise"),
        priority: Some(Priority::High),
        site: Some(CreateWorkOrderBodySite {
            address: Some(StrictAddress {
                street: text("1 Main St"),
                city: text("Springfield"),
                postal_code: Some(text("12345")),
                country: Some(text("US")),
            }),
            access_code: Some(text("4711")),
        }),
        tasks: Some(vec![CreateWorkOrderBodyTasksItem { title: text("Inspect"), estimate_minutes: Some(45) }]),
    };
    report.call("createWorkOrder", seen!(client.create_work_order(order).send_with_response().await));
    let got = client.get_work_order("WO-1001").send_with_response().await;
    let expected = WorkOrder {
        id: Some(text("WO-1001")),
        status: WorkOrderStatus::Scheduled,
        priority: Some(Priority::High),
        created_at: at(2024, 3, 1, 9, 30),
        version: 3,
        formats: Some(Formats {
            int32: Some(7),
            // 9007199254740993 in the spec: see the top of this file.
            int64: Some(9_007_199_254_740_992),
            float: Some(1.5),
            double: Some(2.25),
            date: NaiveDate::from_ymd_opt(2024, 3, 1),
            date_time: Some(at(2024, 3, 1, 7, 30)),
            uuid: Some(client::uuid::uuid!("9b2e4f1c-5a36-4d1f-a0c3-7de2f3a1b4c5")),
            byte: Some(text("aGVsbG8=")),
            uri: Some(text("https://example.com/x")),
            ..Formats::default()
        }),
        payment: Some(Payment::CardPayment(CardPayment { method: text("card"), last4: text("4242"), amount: 120.5 })),
        identifier: Some(Identifier::Variant2(42)),
        attachments: Some(BTreeMap::new()),
        notes: None,
        legacy_code: None,
        anything_but_null: None,
        tasks: None,
    };
    check(&mut report, "getWorkOrder", &got, &expected);
    report.call("getWorkOrder", seen!(got));
    report.call("deleteWorkOrder", seen!(client.delete_work_order("WO-1001").send_with_response().await));
    let payment = Payment::BankTransferPayment(BankTransferPayment {
        method: text("bank_transfer"),
        iban: text("DE89370400440532013000"),
        amount: 250.0,
    });
    let paid = client.pay_work_order("WO-1001", payment).send_with_response().await;
    let receipt = Payment::CardPayment(CardPayment { method: text("card"), last4: text("4242"), amount: 99.99 });
    check(&mut report, "payWorkOrder", &paid, &receipt);
    report.call("payWorkOrder", seen!(paid));

    recursive(&client, &mut report).await;

    let since = at(2024, 3, 1, 0, 0);
    let call = client.list_events().since(since).kinds(vec![EventKind::WorkOrderOpened, EventKind::WorkOrderClosed]);
    let events = call.send_with_response().await;
    let expected = vec![
        Event::WorkOrderOpened(WorkOrderOpened {
            event_type: WorkOrderOpenedEventType::WorkOrderOpened,
            work_order_id: text("WO-1"),
            at: at(2024, 3, 1, 9, 30),
        }),
        Event::WorkOrderClosed(WorkOrderClosed {
            event_type: WorkOrderClosedEventType::WorkOrderClosed,
            work_order_id: text("WO-1"),
            at: at(2024, 3, 2, 17, 0),
            resolution: Some(WorkOrderClosedResolution::Fixed),
        }),
    ];
    check(&mut report, "listEvents", &events, &expected);
    report.call("listEvents", seen!(events));

    let site = client.get_site("plant-7").send_with_response().await;
    let expected = Site {
        name: text("Plant 7"),
        address: Some(StrictAddress {
            street: text("1 Main St"),
            city: text("Springfield"),
            postal_code: Some(text("12345")),
            country: None,
        }),
        equipment: Some(vec![
            Equipment::Boiler(Boiler { kind: text("boiler"), serial: text("B-77"), capacity_kw: None }),
            Equipment::Pump(Pump { kind: text("pump"), serial: text("P-1"), flow_rate: Some(12.5) }),
        ]),
        metrics: Some([(text("uptime"), 99.5), (text("mtbf"), 1200.0)].into_iter().collect()),
        tag_index: Some([(text("red"), vec![text("B-77")]), (text("blue"), Vec::new())].into_iter().collect()),
        floor_plan: Some(vec![vec![0, 1, 1], vec![1, 0, 1]]),
        zones: None,
        additional_properties: [(text("extra"), text("anything"))].into_iter().collect(),
    };
    check(&mut report, "getSite", &site, &expected);
    report.call("getSite", seen!(site));
    let patch = [("name", "Plant 7b")].into_iter().collect();
    report.call("patchSite", seen!(client.patch_site("plant-7").body(patch).send_with_response().await));

    let health = client.health().send_with_response().await;
    check(&mut report, "health", &health, &BTreeMap::new());
    report.call("health", seen!(health));
    report.finish()
}

/// Fails the call when it decoded something other than `expected`.
fn check<T: PartialEq + std::fmt::Debug, E>(
    report: &mut common::Report,
    name: &str,
    outcome: &Result<client::client::Response<T>, E>,
    expected: &T,
) {
    if let Ok(response) = outcome
        && response.body != *expected
    {
        report.fail(name, format!("decoded as {:?}", response.body));
    }
}

async fn customers(client: &client::Client, report: &mut common::Report, id: client::uuid::Uuid) {
    let call = client
        .list_customers()
        .status(ListCustomersStatus::Suspended)
        .limit(20)
        .sort("name")
        .order_by(vec![ListCustomersOrderByItem::Name2, ListCustomersOrderByItem::CreatedAt]);
    let listed = call.send_with_response().await;
    let labels = [(text("region"), "north".into()), (text("vip"), true.into())].into_iter().collect();
    let acme = Customer {
        id: Some(id),
        name: text("Acme Plumbing"),
        nickname: None,
        middle_name: None,
        deleted_at: None,
        created_at: Some(at(2023, 11, 2, 10, 0)),
        password: None,
        tier: Some(Tier::Gold),
        labels: Some(labels),
        fax: None,
        rating: None,
        referred_by: None,
        preferences: None,
    };
    check(report, "listCustomers", &listed, &ListCustomersResponse { items: vec![acme], next: None });
    // Prism warns of the deprecated `sort`, rightly: that warning, and only
    // it, is expected.
    let deprecated = r#"[{"location":["request","query","sort"],"severity":"Warning","code":"deprecated","message":"Query param sort is deprecated"}]"#;
    let outcome = seen!(listed).map(|(status, violations)| (status, violations.filter(|seen| seen != deprecated)));
    report.call("listCustomers", outcome);

    // Read-only fields left out, the required nullable one sent as null.
    let labels = [(text("source"), "referral".into())].into_iter().collect();
    let customer = Customer {
        id: None,
        name: text("Globex"),
        nickname: Some(text("GX")),
        middle_name: None,
        deleted_at: None,
        created_at: None,
        password: Some(text("s3cret")),
        tier: Some(Tier::Silver),
        labels: Some(labels),
        fax: Some(text("+1 555 0100")),
        rating: Some(Rating::V4),
        referred_by: Some(CustomerRef { id }),
        preferences: Some(CustomerPreferences {
            language: Some(text("de")),
            newsletter: Some(true),
            channels: Some(vec![CustomerPreferencesChannelsItem::Email, CustomerPreferencesChannelsItem::Sms]),
        }),
    };
    report.call("createCustomer", seen!(client.create_customer(customer).send_with_response().await));
    let contact = Person { given_name: text("Ana"), family_name: text("Lima"), email: Some(text("ana@example.com")) };
    report.call("setPrimaryContact", seen!(client.set_primary_contact(id, contact).send_with_response().await));
}

/// The recursive types: a tree, a linked list, mutual recursion, and a
/// recursive tagged union with a recursive array alias.
async fn recursive(client: &client::Client, report: &mut common::Report) {
    let node = |name: &str, children: Option<Vec<Category>>| Category { name: text(name), children, parent: None };
    let tree =
        node("Equipment", Some(vec![node("Boilers", Some(vec![node("Gas", Some(Vec::new()))])), node("Pumps", None)]));
    let got = client.get_category_tree().send_with_response().await;
    check(report, "getCategoryTree", &got, &tree);
    report.call("getCategoryTree", seen!(got));

    let step =
        |instruction: &str, next: Option<Step>| Step { instruction: text(instruction), next: next.map(Box::new) };
    let steps = step("Isolate power", Some(step("Open panel", Some(step("Replace fuse", None)))));
    let got = client.get_procedure("fuse").send_with_response().await;
    check(report, "getProcedure", &got, &steps);
    report.call("getProcedure", seen!(got));

    let night = Team { name: text("Night shift"), lead: None };
    let ada = Employee { name: text("Ada"), team: Some(Box::new(night)), mentor: None };
    let got = client.get_org_chart().send_with_response().await;
    check(report, "getOrgChart", &got, &Team { name: text("Operations"), lead: Some(Box::new(ada)) });
    report.call("getOrgChart", seen!(got));

    // The spec's request example.
    let field = |field: &str, equals: &str| {
        Condition::FieldCondition(FieldCondition {
            op: FieldConditionOp::Field,
            field: text(field),
            equals: text(equals),
        })
    };
    let not = |condition: Condition| {
        Condition::NotCondition(Box::new(NotCondition { op: NotConditionOp::Not, condition: Box::new(condition) }))
    };
    let and = |all: Vec<Condition>| Condition::AndCondition(AndCondition { op: AndConditionOp::And, all });
    let rule = RoutingRule {
        name: text("Gas emergencies to the night shift"),
        when: and(vec![field("skill", "gas"), not(field("priority", "low"))]),
        assign_to: vec![text("night-shift")],
        tags: None,
    };
    let created = client.create_routing_rule(rule).send_with_response().await;
    let tag = |tag: &str| TagTreeItem::Variant1(text(tag));
    let expected = RoutingRule {
        name: text("Everything else"),
        when: not(and(Vec::new())),
        assign_to: Vec::new(),
        tags: Some(vec![
            tag("default"),
            TagTreeItem::TagTree(vec![tag("nested"), TagTreeItem::TagTree(vec![tag("deeper")])]),
        ]),
    };
    check(report, "createRoutingRule", &created, &expected);
    report.call("createRoutingRule", seen!(created));
}
