import { test, expect, signIn, waitForHydration } from "./fixtures";
import { DEMO_PASSWORD } from "../playwright.config";
import type { Page } from "@playwright/test";

/** Counts the server-function calls the page makes, per endpoint. */
function countApiCalls(page: Page): Map<string, number> {
  const calls = new Map<string, number>();
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/api/")) calls.set(path, (calls.get(path) ?? 0) + 1);
  });
  return calls;
}

/** Fills and saves the new-session form; returns the session page's path. */
async function createSession(page: Page, place: string) {
  await page.goto("/buoi-tap-huan/moi");
  await waitForHydration(page);
  await page.getByLabel("Địa điểm").fill(place);
  await page.getByLabel("Thôn, buôn").selectOption({ label: "Thôn 2" });
  await page.getByLabel(/DVC/).check();
  await page.getByLabel(/TTTT/).check();
  await page.getByLabel("Y Khuê Niê").check();
  await page.getByRole("button", { name: "Lưu buổi tập huấn" }).click();
  await expect(page).toHaveURL(/\/buoi-tap-huan\/[0-9a-f-]{36}$/);
  // The session page is a new page load: typing before its islands hydrate would be lost
  // (a CI run failed that way once).
  await waitForHydration(page);
  return new URL(page.url()).pathname;
}

test.describe("a training session on a 390 px phone", () => {
  test("log a session, add a person found without diacritics, mark 40 people, print the sheet", async ({ page, baseURL }) => {
    await signIn(page, "thanhvien.hoaphu");
    const calls = countApiCalls(page);
    const started = Date.now();
    const path = await createSession(page, "Nhà văn hoá thôn 2");
    const sessionId = path.split("/").pop()!;
    await expect(page.getByRole("heading", { name: "Điểm danh" })).toBeVisible();

    // An existing person, typed without diacritics.
    await page.getByLabel(/Tìm người học/).fill("nguyen thi hoa");
    const found = page.getByTestId("found");
    await expect(found.getByRole("listitem")).toHaveCount(2);
    await found.getByRole("listitem").filter({ hasText: "Nguyễn Thị Hoa" }).first().getByRole("button", { name: "Thêm" }).click();
    await expect(page.getByTestId("roster")).toContainText("Nguyễn Thị Hoa");
    const flowSeconds = (Date.now() - started) / 1000;

    // 39 more people, registered and put on the roster as absent through the API.
    const headers = { Origin: baseURL! };
    for (let i = 1; i <= 39; i++) {
      const registered = await page.request.post("/api/participants/register", {
        headers,
        form: {
          "form[id]": uuidV7(),
          "form[full_name]": `Người Thử Số ${String.fromCharCode(64 + ((i - 1) % 26) + 1)}${i > 26 ? "a" : ""}`,
          "form[sex]": i % 2 ? "female" : "male",
          "form[birth_year]": String(1970 + i),
          "form[consent]": "on",
        },
      });
      expect(registered.status()).toBe(200);
      const personId = await registered.json();
      const marked = await page.request.post("/api/attendance/mark", {
        headers,
        form: { session_id: sessionId, participant_id: personId, status: "absent" },
      });
      expect(marked.status()).toBe(200);
    }
    await page.reload();
    await waitForHydration(page);
    const rows = page.getByTestId("roster").getByRole("button");
    await expect(rows).toHaveCount(40);
    await expect(page.getByTestId("counts")).toHaveText("Có mặt 1 · Muộn 0 · Phép 0 · Vắng 39 / 40");

    // One tap per absent person: absent → present.
    const tapStart = Date.now();
    for (let i = 0; i < 40; i++) {
      const row = rows.nth(i);
      if ((await row.getAttribute("data-status")) === "absent") await row.click();
    }
    await expect(page.getByTestId("counts")).toHaveText("Có mặt 40 · Muộn 0 · Phép 0 · Vắng 0 / 40");
    // Every tap has reached the server before the page is left.
    await expect(page.getByTestId("save-state")).toHaveText("Đã lưu");
    const tapSeconds = (Date.now() - tapStart) / 1000;
    // What the server holds, after a reload.
    await page.reload();
    await expect(page.getByTestId("counts")).toHaveText("Có mặt 40 · Muộn 0 · Phép 0 · Vắng 0 / 40");

    // Three quick taps on one person (present → late → excused → absent): the server ends
    // with the last one, whatever order the network would have delivered them in.
    await waitForHydration(page);
    const first = rows.first();
    await first.click();
    await first.click();
    await first.click();
    await expect(first).toHaveAttribute("data-status", "absent");
    await expect(page.getByTestId("save-state")).toHaveText("Đã lưu");
    await page.reload();
    await expect(page.getByTestId("counts")).toHaveText("Có mặt 39 · Muộn 0 · Phép 0 · Vắng 1 / 40");

    await page.getByRole("link", { name: "In danh sách ký tên" }).click();
    const sheet = page.getByTestId("sheet");
    await expect(sheet.locator("tbody tr")).toHaveCount(40 + 15);
    await expect(sheet).toContainText("Nguyễn Thị Hoa");

    console.log(
      `flow: session logged and first person added in ${flowSeconds.toFixed(1)} s; ` +
        `39 taps in ${tapSeconds.toFixed(1)} s; server calls ${JSON.stringify(Object.fromEntries(calls))}`,
    );
  });

  test("on a slow connection, taps made while a request is on its way go together", async ({ page, baseURL }) => {
    await signIn(page, "thanhvien.hoaphu");
    const path = await createSession(page, "Nhà văn hoá thôn 2, mạng yếu");
    const sessionId = path.split("/").pop()!;
    const headers = { Origin: baseURL! };
    // Ten people put on the roster as absent in one batch request.
    const people: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const registered = await page.request.post("/api/participants/register", {
        headers,
        form: {
          "form[id]": uuidV7(),
          "form[full_name]": `Người Mạng Yếu ${String.fromCharCode(64 + i)}`,
          "form[sex]": i % 2 ? "female" : "male",
          "form[birth_year]": String(1980 + i),
          "form[consent]": "on",
        },
      });
      expect(registered.status()).toBe(200);
      people.push(await registered.json());
    }
    const batch = { session_id: sessionId, marks: people.map((id) => ({ participant_id: id, status: "absent" })) };
    const added = await page.request.post("/api/attendance/mark-many", { headers, data: batch });
    expect(added.status()).toBe(200);
    expect(await added.json()).toBe(10);
    // The same batch again (a retry after a lost answer) changes nothing.
    expect(await (await page.request.post("/api/attendance/mark-many", { headers, data: batch })).json()).toBe(0);

    // Every answer now takes 1.5 s, as on a weak village connection.
    let requests = 0;
    await page.route("**/api/attendance/mark-many", async (route) => {
      requests += 1;
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue();
    });
    await page.reload();
    await waitForHydration(page);
    const rows = page.getByTestId("roster").getByRole("button");
    await expect(rows).toHaveCount(10);
    for (let i = 0; i < 10; i++) await rows.nth(i).click();
    await expect(page.getByTestId("counts")).toHaveText("Có mặt 10 · Muộn 0 · Phép 0 · Vắng 0 / 10");
    await expect(page.getByTestId("save-state")).toHaveText("Đang lưu…");
    await expect(page.getByTestId("save-state")).toHaveText("Đã lưu", { timeout: 10_000 });
    // The first tap went alone; the nine made while it was on its way went in one or two more.
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(requests).toBeLessThanOrEqual(3);
    await page.unroute("**/api/attendance/mark-many");
    await page.reload();
    await expect(page.getByTestId("counts")).toHaveText("Có mặt 10 · Muộn 0 · Phép 0 · Vắng 0 / 10");
  });

  test("the session list shows 30 at a time and links to older ones", async ({ page, baseURL }) => {
    await signIn(page, "thanhvien.hoaphu");
    const headers = { Origin: baseURL! };
    const context = await (await page.request.post("/api/sessions/form-context", { headers })).json();
    // 31 sessions logged a week ago, through the same server function as the form.
    for (let i = 0; i < 31; i++) {
      const created = await page.request.post("/api/sessions/create", {
        headers,
        form: {
          "form[id]": uuidV7(),
          "form[starts_at]": "2026-01-05T08:00",
          "form[duration_minutes]": "60",
          "form[place]": `Nhà văn hoá, buổi ${i + 1}`,
          "form[module_ids][]": context.modules[0].id,
          "form[trainer_ids][]": context.trainers[0][0],
        },
        maxRedirects: 0,
      });
      expect(created.status()).toBeLessThan(400);
    }
    await page.goto("/buoi-tap-huan");
    const rows = page.getByTestId("sessions").getByRole("link");
    await expect(rows).toHaveCount(30);
    // Counts on a line of their own, never run into the place ("Thôn 2" + "10 có mặt").
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/\n\d+ có mặt \/ \d+ người/);
    const firstPage = await rows.evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    await page.getByTestId("older").click();
    await expect(page).toHaveURL(/\/buoi-tap-huan\?sau=[0-9a-f-]{36}$/);
    await expect(rows.first()).toBeVisible();
    const secondPage = await rows.evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((href) => firstPage.includes(href))).toEqual([]);
    await page.getByRole("link", { name: "← Mới nhất" }).click();
    await expect(page).toHaveURL(/\/buoi-tap-huan$/);
    await expect(rows).toHaveCount(30);
  });

  test("a session is logged with JavaScript disabled", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, baseURL });
    const page = await context.newPage();
    await page.goto("/dang-nhap");
    await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("totruong.hoaphu");
    await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.goto("/buoi-tap-huan/moi");
    await page.getByLabel("Địa điểm").fill("Hội trường không JavaScript");
    await page.getByLabel(/DVC/).check();
    await page.getByRole("button", { name: "Lưu buổi tập huấn" }).click();
    await expect(page).toHaveURL(/\/buoi-tap-huan\/[0-9a-f-]{36}$/);
    await expect(page.getByText("Hội trường không JavaScript")).toBeVisible();
    // And changed, still without JavaScript.
    await page.getByRole("link", { name: "Sửa" }).click();
    await expect(page.getByLabel("Địa điểm")).toHaveValue("Hội trường không JavaScript");
    await page.getByLabel("Địa điểm").fill("Nhà văn hoá thôn 2");
    await page.getByRole("button", { name: "Lưu thay đổi" }).click();
    await expect(page).toHaveURL(/\/buoi-tap-huan\/[0-9a-f-]{36}$/);
    await expect(page.getByText("Nhà văn hoá thôn 2")).toBeVisible();
    await context.close();
  });
});

/** A UUIDv7 made in the test (the server insists on version 7 for client ids). */
function uuidV7(): string {
  const ms = Date.now().toString(16).padStart(12, "0");
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
