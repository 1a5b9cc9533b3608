//! Training sessions, attendance, duplicates, merging and training progress.

use kynangso_data::seed::demo_id;

use crate::helpers::TestApp;

/// A valid session form covering modules DVC and TMDT, with Hòa Phú's first trainer.
fn session(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[id]", id.to_owned()),
        ("form[starts_at]", "2026-11-20T14:30".to_owned()),
        ("form[duration_minutes]", "90".to_owned()),
        ("form[village_id]", demo_id(40).to_string()),
        ("form[place]", "Nhà văn hoá thôn 1".to_owned()),
        ("form[module_ids][]", demo_id(201).to_string()),
        ("form[module_ids][]", demo_id(202).to_string()),
        ("form[trainer_ids][]", demo_id(401).to_string()),
        ("form[notes]", "Mang theo điện thoại".to_owned()),
    ]
}

async fn post(app: &TestApp, endpoint: &str, form: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(endpoint, &pairs).await
}

async fn json(response: reqwest::Response) -> serde_json::Value {
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

async fn detail(app: &TestApp, id: &str) -> serde_json::Value {
    json(app.call("sessions/detail", &[("id", id)]).await).await
}

async fn mark(app: &TestApp, session: &str, person: u16, status: &str) -> reqwest::Response {
    app.call(
        "attendance/mark",
        &[
            ("session_id", session),
            ("participant_id", &demo_id(person).to_string()),
            ("status", status),
        ],
    )
    .await
}

fn ids(sessions: &serde_json::Value) -> Vec<String> {
    sessions
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// Every session id of the caller's list, following "more" page by page, and the pages.
async fn every_page(app: &TestApp) -> (Vec<String>, usize) {
    let mut seen: Vec<String> = Vec::new();
    let mut pages = 0;
    loop {
        let after: Vec<(&str, &str)> = seen
            .last()
            .map(|id| ("after", id.as_str()))
            .into_iter()
            .collect();
        let page = json(app.call("sessions/list", &after).await).await;
        pages += 1;
        let ids = ids(&page["sessions"]);
        assert!(pages == 1 || !ids.is_empty(), "a next page is never empty");
        seen.extend(ids);
        if page["more"] != true {
            return (seen, pages);
        }
    }
}

async fn new_session(app: &TestApp) -> String {
    let id = kynangso_domain::new_id().to_string();
    assert_eq!(
        post(app, "sessions/create", &session(&id)).await.status(),
        200
    );
    id
}

both_databases! {
    async fn a_session_retried_is_logged_once_and_listed_first(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let context = json(app.call("sessions/form-context", &[]).await).await;
        assert_eq!(context["modules"].as_array().map(Vec::len), Some(5));
        assert_eq!(context["trainers"].as_array().map(Vec::len), Some(3));
        let before = app.count("training_session").await;
        let id = kynangso_domain::new_id().to_string();
        for _ in 0..3 {
            let response = post(&app, "sessions/create", &session(&id)).await;
            assert_eq!(response.status(), 200);
        }
        assert_eq!(app.count("training_session").await, before + 1);
        assert_eq!(app.count("session_module").await, 5 + 2, "the demo's 5 and these 2");
        assert_eq!(app.audit_entries("create", "training_session").await.len(), 1);
        let page = json(app.call("sessions/list", &[]).await).await;
        assert_eq!(page["more"], false);
        let list = &page["sessions"];
        assert_eq!(list[0]["id"], id.as_str(), "newest first");
        assert_eq!(list[0]["module_codes"], serde_json::json!(["DVC", "TMDT"]));
        // The demo's latest session (7 Nov 2025): 12 on the roster.
        assert_eq!(list[1]["counts"], serde_json::json!({"present": 7, "late": 2, "excused": 2, "absent": 1}));
        let d = detail(&app, &id).await;
        assert_eq!(d["starts_at"], "2026-11-20T07:30:00Z", "14:30 in Vietnam");
        assert_eq!(d["trainers"], serde_json::json!(["Y Khuê Niê"]));
        assert_eq!(d["village"], "Thôn 1");
    }

    async fn the_session_list_comes_a_page_at_a_time_without_repeats(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let (demo, pages) = every_page(&app).await;
        assert_eq!(pages, 1, "the demo's sessions fit on one page");
        // 31 sessions at the same minute: only the id tells their order apart.
        let mut created = Vec::new();
        for _ in 0..31 {
            created.push(new_session(&app).await);
        }
        let first = json(app.call("sessions/list", &[]).await).await;
        assert_eq!(ids(&first["sessions"]).len(), 30);
        assert_eq!(first["more"], true);
        let (seen, pages) = every_page(&app).await;
        assert_eq!(pages, 2);
        assert_eq!(seen.len(), demo.len() + 31, "every session once: {seen:?}");
        let unique: std::collections::BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no session on two pages");
        assert!(created.iter().all(|id| unique.contains(id)), "none hidden");
        // Another commune's lead cannot page from a Hòa Phú session, nor learn it exists.
        app.sign_in_as("totruong.tanan").await;
        let response = app.call("sessions/list", &[("after", created[0].as_str())]).await;
        assert_eq!(response.status(), 404);
        let response = app.call("sessions/list", &[("after", "không phải mã")]).await;
        assert_eq!(response.status(), 400);
    }

    async fn a_bad_session_form_gets_field_messages(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let mut form = session(&kynangso_domain::new_id().to_string());
        form.retain(|(k, _)| !k.starts_with("form[module_ids]"));
        form[1].1 = "ngày mai".to_owned();
        let response = post(&app, "sessions/create", &form).await;
        assert_eq!(response.status(), 422);
        let body = response.text().await.expect("body");
        assert!(body.contains("starts_at") && body.contains("module_ids"), "{body}");
        // A module that is not in the current curriculum.
        let mut form = session(&kynangso_domain::new_id().to_string());
        form[5].1 = kynangso_domain::new_id().to_string();
        assert_eq!(post(&app, "sessions/create", &form).await.status(), 422);
        // Another commune's village.
        let mut form = session(&kynangso_domain::new_id().to_string());
        form[3].1 = demo_id(11).to_string();
        assert_eq!(post(&app, "sessions/create", &form).await.status(), 422);
        assert_eq!(app.audit_entries("create", "training_session").await.len(), 0);
    }

    async fn attendance_taps_set_a_status_and_never_duplicate_a_row(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let id = new_session(&app).await;
        let rows = app.count("attendance").await;
        for person in [700, 701, 702] {
            assert_eq!(mark(&app, &id, person, "present").await.status(), 200);
        }
        assert_eq!(mark(&app, &id, 701, "late").await.status(), 200);
        for _ in 0..3 {
            assert_eq!(mark(&app, &id, 702, "absent").await.status(), 200, "a retried tap");
        }
        assert_eq!(app.count("attendance").await, rows + 3);
        let d = detail(&app, &id).await;
        assert_eq!(d["counts"], serde_json::json!({"present": 1, "late": 1, "excused": 0, "absent": 1}));
        assert_eq!(app.audit_entries("mark_attendance", "attendance").await.len(), 5, "3 adds, late, absent once");
        assert_eq!(mark(&app, &id, 702, "maybe").await.status(), 422);

        // Two people are late or absent: "all present" asks before overwriting them.
        let asked = app.call("attendance/mark-all-present", &[("session_id", &id)]).await;
        assert_eq!(asked.status(), 422);
        assert!(asked.text().await.expect("body").contains("overwrite"));
        assert_eq!(detail(&app, &id).await["counts"]["present"], 1, "nothing overwritten");
        let changed: u64 = json(app.call("attendance/mark-all-present", &[("session_id", &id), ("overwrite", "yes")]).await).await
            .as_u64().expect("a count");
        assert_eq!(changed, 2);
        assert_eq!(detail(&app, &id).await["counts"]["present"], 3);

        // A code typed off the paper sheet adds the person, present.
        let code = kynangso_domain::person::participant_code(demo_id(703)).to_lowercase();
        let marked = app.call("attendance/mark-by-code", &[("session_id", &id), ("code", &code)]).await;
        assert_eq!(json(marked).await, demo_id(703).to_string());
        assert_eq!(detail(&app, &id).await["counts"]["present"], 4);
        let unknown = app.call("attendance/mark-by-code", &[("session_id", &id), ("code", "ZZZZZZ")]).await;
        assert_eq!(unknown.status(), 422);
    }

    async fn a_batch_of_taps_is_one_request_all_or_nothing_and_safe_to_retry(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let id = new_session(&app).await;
        let rows = app.count("attendance").await;
        let batch = |marks: Vec<(u16, &str)>| serde_json::json!({
            "session_id": id,
            "marks": marks.into_iter()
                .map(|(person, status)| serde_json::json!({ "participant_id": demo_id(person), "status": status }))
                .collect::<Vec<_>>(),
        });
        let send = |body: serde_json::Value| {
            app.client.post(app.url("/api/attendance/mark-many"))
                .header("Origin", app.url("")).json(&body).send()
        };
        // 702 tapped twice while the first request was on its way: the later status wins.
        let taps = batch(vec![(700, "present"), (701, "late"), (702, "present"), (702, "excused")]);
        assert_eq!(json(send(taps.clone()).await.expect("sent")).await, 3);
        assert_eq!(json(send(taps).await.expect("sent")).await, 0, "a retried batch changes nothing");
        assert_eq!(app.count("attendance").await, rows + 3);
        assert_eq!(detail(&app, &id).await["counts"],
            serde_json::json!({"present": 1, "late": 1, "excused": 1, "absent": 0}));
        assert_eq!(app.audit_entries("mark_attendance", "attendance").await.len(), 3, "one entry per change");

        // One person of another commune refuses the whole batch; nothing is written.
        let audit = app.count("audit_log").await;
        let mixed = send(batch(vec![(703, "present"), (720, "present")])).await.expect("sent");
        assert_eq!(mixed.status(), 404);
        assert_eq!(app.count("attendance").await, rows + 3);
        assert_eq!(app.count("audit_log").await, audit);
        // Too many marks at once, or a status that does not exist: 4xx with a reason.
        let too_many = send(batch(vec![(703, "present"); 201])).await.expect("sent");
        assert_eq!(too_many.status(), 422);
        assert!(too_many.text().await.expect("body").contains("tối đa 200"));
        let unknown = send(batch(vec![(703, "maybe")])).await.expect("sent");
        assert_eq!(unknown.status(), 400);
        assert_eq!(app.count("attendance").await, rows + 3);
    }

    async fn a_session_is_edited_with_before_and_after_in_the_audit_log(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let id = new_session(&app).await;
        let mut form = session(&id);
        form[1].1 = "2026-11-21T08:00".to_owned();
        form[4].1 = "Hội trường UBND xã".to_owned();
        form.retain(|(k, v)| !(*k == "form[module_ids][]" && *v == demo_id(202).to_string()));
        form.push(("form[module_ids][]", demo_id(205).to_string()));
        form.push(("form[trainer_ids][]", demo_id(403).to_string()));
        for _ in 0..2 {
            assert_eq!(post(&app, "sessions/update", &form).await.status(), 200);
        }
        let d = detail(&app, &id).await;
        assert_eq!(d["place"], "Hội trường UBND xã");
        assert_eq!(d["starts_at"], "2026-11-21T01:00:00Z");
        let codes: Vec<&str> = d["modules"].as_array().expect("list").iter().filter_map(|m| m["code"].as_str()).collect();
        assert_eq!(codes, ["DVC", "NTS"]);
        assert_eq!(d["trainer_ids"].as_array().map(Vec::len), Some(2));
        let updates = app.audit_entries("update", "training_session").await;
        assert_eq!(updates.len(), 1, "the second, identical save changes nothing");
        assert!(updates[0].before.clone().unwrap_or_default().contains("Nhà văn hoá thôn 1"));
        assert!(updates[0].after.clone().unwrap_or_default().contains("Hội trường UBND xã"));
        // An unknown session is not created by an update.
        let stranger = session(&kynangso_domain::new_id().to_string());
        assert_eq!(post(&app, "sessions/update", &stranger).await.status(), 404);
        // A cancelled session cannot be edited.
        assert_eq!(app.call("sessions/cancel", &[("id", &id)]).await.status(), 200);
        assert_eq!(post(&app, "sessions/update", &form).await.status(), 422);
    }

    async fn a_cancelled_session_keeps_its_roster_and_takes_no_more_marks(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let id = new_session(&app).await;
        assert_eq!(mark(&app, &id, 700, "present").await.status(), 200);
        for _ in 0..2 {
            assert_eq!(app.call("sessions/cancel", &[("id", &id)]).await.status(), 200);
        }
        let d = detail(&app, &id).await;
        assert_eq!(d["cancelled"], true);
        assert_eq!(d["roster"].as_array().map(Vec::len), Some(1));
        assert_eq!(mark(&app, &id, 701, "present").await.status(), 422);
        assert_eq!(app.audit_entries("cancel", "training_session").await.len(), 1);
    }

    async fn likely_duplicates_are_found_and_a_lead_merges_them(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let found = json(app.call("participants/duplicates", &[
            ("full_name", "NGUYEN THI HOA"), ("birth_year", "1985"), ("phone", ""),
        ]).await).await;
        let ids: Vec<&str> = found.as_array().expect("list").iter().filter_map(|p| p["id"].as_str()).collect();
        assert_eq!(ids, [demo_id(700).to_string(), demo_id(708).to_string()]);
        let by_phone = json(app.call("participants/duplicates", &[
            ("full_name", "Ai đó"), ("birth_year", ""), ("phone", "+84912345678"),
        ]).await).await;
        assert_eq!(by_phone[0]["id"], demo_id(700).to_string());

        // 708 alone attends a new session; the merge moves that row to 700.
        let id = new_session(&app).await;
        assert_eq!(mark(&app, &id, 708, "late").await.status(), 200);
        let (kept, dup) = (demo_id(700).to_string(), demo_id(708).to_string());
        let merge = [("kept_id", kept.as_str()), ("duplicate_id", dup.as_str())];
        assert_eq!(app.call("participants/merge", &merge).await.status(), 403, "team members do not merge");

        app.sign_in_as("totruong.hoaphu").await;
        let rows = app.count("attendance").await;
        let moved = json(app.call("participants/merge", &merge).await).await;
        assert_eq!(moved, 1);
        assert_eq!(app.call("participants/merge", &merge).await.status(), 200, "repeating is harmless");
        assert_eq!(app.count("attendance").await, rows - 3, "the 3 demo sessions both attended keep one row");
        let d = detail(&app, &id).await;
        assert_eq!(d["roster"][0]["participant_id"], kept.as_str());
        assert_eq!(d["roster"][0]["status"], "late");
        // A phone that still holds the duplicate's id marks it: the mark lands on the kept
        // record, and the same status again changes (and audits) nothing.
        assert_eq!(mark(&app, &id, 708, "present").await.status(), 200);
        let d = detail(&app, &id).await;
        assert_eq!(d["roster"].as_array().map(Vec::len), Some(1));
        assert_eq!(d["roster"][0]["participant_id"], kept.as_str());
        assert_eq!(d["roster"][0]["status"], "present");
        let marks = app.audit_entries("mark_attendance", "attendance").await.len();
        assert_eq!(mark(&app, &id, 708, "present").await.status(), 200);
        assert_eq!(app.audit_entries("mark_attendance", "attendance").await.len(), marks);
        let redirected = json(app.call("participants/detail", &[("id", &dup)]).await).await;
        assert_eq!(redirected["id"], kept.as_str(), "the duplicate opens the kept record");
        assert_eq!(app.audit_entries("merge", "participant").await.len(), 1);
        let search = json(app.call("participants/search", &[("q", "nguyen thi hoa")]).await).await;
        assert_eq!(search.as_array().map(Vec::len), Some(1));
    }

    async fn the_participant_page_says_what_is_missing_for_completion(app) {
        app.load_demo().await;
        app.sign_in_as("thanhvien.hoaphu").await;
        let done = json(app.call("participants/detail", &[("id", &demo_id(700).to_string())]).await).await;
        assert_eq!(done["progress"]["complete"], true, "{done}");
        // Person 705 was excused from the session that covered TTTT and ATTT.
        let partial = json(app.call("participants/detail", &[("id", &demo_id(705).to_string())]).await).await;
        assert_eq!(partial["progress"]["complete"], false);
        let missing: Vec<&str> = partial["progress"]["missing"].as_array().expect("list")
            .iter().filter_map(|m| m["code"].as_str()).collect();
        assert_eq!(missing, ["TTTT", "ATTT"]);
    }
}
