import { test, expect, signIn, waitForHydration } from "./fixtures";
import { DEMO_PASSWORD } from "../playwright.config";
import type { APIRequestContext, Page } from "@playwright/test";

/** A UUIDv7 made in the test (the server insists on version 7 for client ids). */
function uuidV7(): string {
  const ms = Date.now().toString(16).padStart(12, "0");
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

/** A session of the test's own (other tests run alongside), its roster marked `statuses`. */
async function sessionWith(request: APIRequestContext, origin: string, statuses: string[]): Promise<string> {
  const headers = { Origin: origin };
  const context = await (await request.post("/api/sessions/form-context", { headers })).json();
  const id = uuidV7();
  const created = await request.post("/api/sessions/create", {
    headers,
    form: {
      "form[id]": id,
      "form[starts_at]": "2026-01-06T08:00",
      "form[duration_minutes]": "60",
      "form[place]": `Điểm danh trước khi trang chạy ${id.slice(-6)}`,
      "form[module_ids][]": context.modules[0].id,
      "form[trainer_ids][]": context.trainers[0][0],
    },
    maxRedirects: 0,
  });
  expect(created.status()).toBeLessThan(400);
  const people = await (await request.post("/api/participants/search", { headers, form: { q: "" } })).json();
  for (const [i, status] of statuses.entries()) {
    const marked = await request.post("/api/attendance/mark", {
      headers,
      form: { session_id: id, participant_id: people[i].id, status },
      maxRedirects: 0,
    });
    expect(marked.status()).toBeLessThan(400);
  }
  return `/buoi-tap-huan/${id}`;
}

/** A session with one person marked present. */
const sessionWithOnePerson = (request: APIRequestContext, origin: string) => sessionWith(request, origin, ["present"]);

/** Taps the roster's one row and checks it went from "Có mặt" to "Đến muộn", saved. */
async function tapAndCheck(page: Page, path: string) {
  const row = page.getByTestId("roster").locator("button.roster-row");
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute("data-status", "present");
  await row.click();
  // The plain post comes back to the session page, with no error in its address (the
  // framework leaves an empty query, "?", where an earlier error would have been).
  await expect(page).toHaveURL(new RegExp(`${path}\\??$`));
  await expect(row).toHaveAttribute("data-status", "late");
  await expect(page.getByRole("alert")).toHaveCount(0);
  // And the server holds it: a fresh load shows the same.
  await page.goto(path);
  await expect(row).toHaveAttribute("data-status", "late");
}

test.describe("the roster before and without the script", () => {
  test("a row tapped with JavaScript off is saved with the next status", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, baseURL });
    const page = await context.newPage();
    await page.goto("/dang-nhap");
    await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("thanhvien.hoaphu");
    await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    const path = await sessionWithOnePerson(context.request, baseURL!);
    await page.goto(path);
    await tapAndCheck(page, path);
    await context.close();
  });

  test("a row tapped before the script has arrived is saved, and typed search text stays", async ({ page, baseURL }) => {
    await signIn(page, "thanhvien.hoaphu");
    const path = await sessionWithOnePerson(page.request, baseURL!);
    // A slow first visit: the wasm takes seconds to arrive.
    let release: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/pkg/*.wasm", async (route) => {
      await arrived;
      await route.continue();
    });
    await page.goto(path);
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
    await tapAndCheck(page, path);

    // Typing into the search box before the script arrives: the text is kept, and the
    // search runs on it once the page is live.
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
    await page.getByPlaceholder("nguyen thi hoa").fill("nguyen");
    release();
    await waitForHydration(page);
    await expect(page.getByPlaceholder("nguyen thi hoa")).toHaveValue("nguyen");
    await expect(page.getByTestId("found").locator("li").first()).toBeVisible();
  });
});

test("\"Tất cả có mặt\" asks before overwriting an absent mark, and can be undone", async ({ page, baseURL }) => {
  await signIn(page, "thanhvien.hoaphu");
  const path = await sessionWith(page.request, baseURL!, ["present", "absent", "present"]);
  await page.goto(path);
  await waitForHydration(page);
  const rows = page.getByTestId("roster").locator("button.roster-row");
  const statuses = () => rows.evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-status")).sort());
  await expect(rows).toHaveCount(3);
  const overwrite = page.getByLabel("Kể cả 1 người đang Muộn, Phép hoặc Vắng");
  await expect(overwrite).toBeVisible();

  // Not ticked: nothing changes.
  await page.getByRole("button", { name: "Tất cả có mặt" }).click();
  expect(await statuses()).toEqual(["absent", "present", "present"]);

  // Ticked: everyone present, saved; then undone, saved again.
  await overwrite.check();
  await page.getByRole("button", { name: "Tất cả có mặt" }).click();
  await expect.poll(statuses).toEqual(["present", "present", "present"]);
  await expect(page.getByTestId("save-state")).toHaveText("Đã lưu");
  await page.getByRole("button", { name: "Hoàn tác" }).click();
  await expect.poll(statuses).toEqual(["absent", "present", "present"]);
  await expect(page.getByTestId("save-state")).toHaveText("Đã lưu");
  await page.reload();
  await expect.poll(statuses).toEqual(["absent", "present", "present"]);
});
