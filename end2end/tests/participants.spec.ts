import { test, expect, signIn, waitForHydration } from "./fixtures";
import { DEMO_PASSWORD } from "../playwright.config";
import type { Page } from "@playwright/test";

/** Fills the registration form with a new person called `name`. */
async function fillPerson(page: Page, name: string) {
  await page.getByLabel("Họ và tên").fill(name);
  await page.getByLabel("Nữ").check();
  await page.getByLabel("Năm sinh").fill("1992");
  await page.getByLabel("Số điện thoại (không bắt buộc)").fill("0901 234 567");
  await page.getByLabel("Có điện thoại thông minh").check();
  await page.getByLabel("Người học đã nghe và đồng ý với nội dung trên").check();
}

test.describe("people of the commune on a 390 px phone", () => {
  test("a team member signs in and sees only their commune", async ({ page }) => {
    await signIn(page, "thanhvien.hoaphu");
    await page.getByRole("link", { name: "Người học", exact: true }).click();
    // Other tests add people to Hòa Phú at the same time: check names, not totals.
    const people = page.getByTestId("people");
    await expect(people.getByRole("listitem").first()).toBeVisible();
    await expect(people).not.toContainText("Trần Thị Hoa");

    const search = page.getByLabel("Tìm theo tên, năm sinh hoặc số điện thoại");
    await search.fill("nguyen thi hoa");
    await expect(people.getByRole("listitem")).toHaveCount(2);
    await expect(people).toContainText("Nguyễn Thị Hoà");
    await search.fill("hoa");
    await expect(people).toContainText("Nguyễn Thị Hoa");
    await expect(people).not.toContainText("Trần Thị Hoa");
  });

  test("another commune's lead finds none of Hòa Phú's people, even by address", async ({ page }) => {
    await signIn(page, "totruong.tanan");
    await page.goto("/nguoi-hoc");
    await waitForHydration(page);
    const people = page.getByTestId("people");
    await expect(people).toContainText("Trần Thị Hoa");
    await expect(people).not.toContainText("Nguyễn Thị Hoa");
    // The demo's first Hòa Phú participant: fixed id from the demo data set.
    page.removeAllListeners("console");
    await page.goto("/nguoi-hoc/0197c348-8abc-7e30-82bc-000000000000");
    await expect(page.getByText("Không tìm thấy.")).toBeVisible();
    await expect(page.getByText("Nguyễn Thị Hoa")).toHaveCount(0);
  });

  test("a new person is registered, then withdraws consent", async ({ page }) => {
    await signIn(page, "thanhvien.hoaphu");
    await page.goto("/nguoi-hoc/moi");
    await waitForHydration(page);
    // Bad input first: messages beside the fields, nothing lost.
    await page.getByLabel("Họ và tên").fill("Ksor H'Bia");
    page.removeAllListeners("console");
    await page.getByRole("button", { name: "Lưu người học" }).click();
    await expect(page.locator("#err-sex")).toHaveText("Vui lòng chọn giới tính.");
    await expect(page.locator("#err-consent")).toContainText("Cần có sự đồng ý");
    await expect(page.getByLabel("Họ và tên")).toHaveValue("Ksor H'Bia");

    await fillPerson(page, "Ksor H'Bia");
    await page.getByRole("button", { name: "Lưu người học" }).click();
    await expect(page).toHaveURL(/\/nguoi-hoc\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("person-name")).toHaveText("Ksor H'Bia");
    await expect(page.getByText("0901234567")).toBeVisible();

    await page.getByLabel(/yêu cầu rút lại sự đồng ý/).check();
    await page.getByRole("button", { name: "Rút lại sự đồng ý" }).click();
    await expect(page.getByTestId("person-name")).toHaveText("(Đã rút lại sự đồng ý)");
    await expect(page.getByText("0901234567")).toHaveCount(0);
  });

  test("Back after saving, then another person typed into the form: both are saved, once each", async ({ page }) => {
    await signIn(page, "thanhvien.hoaphu");
    await page.goto("/nguoi-hoc/moi");
    await waitForHydration(page);
    // Letters only (names have no digits), one capital, as the form writes names.
    const letters = Array.from({ length: 5 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
    const suffix = letters[0].toUpperCase() + letters.slice(1);
    const first = `Lê Văn Về ${suffix}`;
    const second = `Lê Thị Lại ${suffix}`;
    await fillPerson(page, first);
    await page.getByRole("button", { name: "Lưu người học" }).click();
    await expect(page).toHaveURL(/\/nguoi-hoc\/[0-9a-f-]{36}$/);
    const firstPath = new URL(page.url()).pathname;

    // The phone's Back button: the form comes back (from the back-forward cache or anew).
    await page.goBack();
    await expect(page).toHaveURL(/\/nguoi-hoc\/moi$/);
    await waitForHydration(page);
    await fillPerson(page, second);
    // No phone: a phone already on record shows the duplicate notice, which the blur of
    // the phone field inserts above the save button while it is being tapped.
    await page.getByLabel("Số điện thoại (không bắt buộc)").fill("");
    await page.getByRole("button", { name: "Lưu người học" }).click();
    await expect(page).toHaveURL(/\/nguoi-hoc\/[0-9a-f-]{36}$/);
    expect(new URL(page.url()).pathname).not.toBe(firstPath);
    await expect(page.getByTestId("person-name")).toHaveText(second);

    // Each exactly once, the first one unchanged.
    for (const name of [first, second]) {
      const found = await (await page.request.post("/api/participants/search", {
        headers: { Origin: new URL(page.url()).origin },
        form: { q: name },
      })).json();
      expect(found.filter((p: { full_name: string }) => p.full_name === name)).toHaveLength(1);
    }
    await page.goto(firstPath);
    await expect(page.getByTestId("person-name")).toHaveText(first);
  });

  test("a near-duplicate is shown before saving, and the existing person can be picked", async ({ page }) => {
    await signIn(page, "thanhvien.hoaphu");
    await page.goto("/nguoi-hoc/moi");
    await waitForHydration(page);
    // Typed without diacritics, as on a phone keyboard.
    await page.getByLabel("Họ và tên").fill("nguyen thi hoa");
    await page.getByLabel("Năm sinh").fill("1985");
    const warning = page.getByTestId("duplicates");
    await expect(warning).toContainText("Có thể người này đã có trong danh sách");
    await expect(warning.getByRole("link")).toHaveCount(2);
    await warning.getByRole("link", { name: /Nguyễn Thị Hoà/ }).click();
    await expect(page.getByTestId("person-name")).toHaveText("Nguyễn Thị Hoà");
  });

  test("a form filled while the session expired is saved once after signing in again", async ({ page, context }) => {
    await signIn(page, "thanhvien.hoaphu");
    await page.goto("/nguoi-hoc/moi");
    await waitForHydration(page);
    await fillPerson(page, "Y Moan Ênuôl");
    await context.clearCookies();
    page.removeAllListeners("console");
    await page.getByRole("button", { name: "Lưu người học" }).click();
    const panel = page.getByTestId("sign-in-again");
    await expect(panel).toBeVisible();
    await panel.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("thanhvien.hoaphu");
    await panel.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
    await panel.getByRole("button", { name: "Đăng nhập lại" }).click();
    await expect(page.getByText("Đã đăng nhập lại.")).toBeVisible();
    await expect(page.getByLabel("Họ và tên")).toHaveValue("Y Moan Ênuôl");
    await page.getByRole("button", { name: "Lưu người học" }).click();
    await expect(page.getByTestId("person-name")).toHaveText("Y Moan Ênuôl");

    await page.goto("/nguoi-hoc?q=y+moan");
    await expect(page.getByTestId("people").getByRole("listitem")).toHaveCount(1);
  });

  test("a person is registered with JavaScript disabled", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, baseURL });
    const page = await context.newPage();
    await page.goto("/dang-nhap");
    await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("totruong.hoaphu");
    await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.goto("/nguoi-hoc/moi");
    // A mistake first: the server sends the form back with the reasons in Vietnamese.
    await page.getByLabel("Họ và tên").fill("Phan Thị Ngân");
    await page.getByRole("button", { name: "Lưu người học" }).click();
    await expect(page).toHaveURL(/\/nguoi-hoc\/moi/);
    await expect(page.getByTestId("form-error")).toContainText("Vui lòng chọn giới tính.");
    await fillPerson(page, "Phan Thị Ngân");
    await page.getByRole("button", { name: "Lưu người học" }).click();
    await expect(page).toHaveURL(/\/nguoi-hoc\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("person-name")).toHaveText("Phan Thị Ngân");
    await context.close();
  });

  test("a lead creates a team member, who must change the temporary password", async ({ page, browser, baseURL }) => {
    await signIn(page, "totruong.hoaphu");
    await page.goto("/nguoi-dung");
    await waitForHydration(page);
    await page.getByLabel("Họ và tên").fill("Lê Thị Thu");
    await page.getByLabel("Tên đăng nhập").fill("lethu.hoaphu");
    await page.getByLabel(/Mật khẩu tạm thời/).fill("mật khẩu tạm thời của Thu");
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    await expect(page.getByTestId("users")).toContainText("lethu.hoaphu");

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL });
    const phone = await context.newPage();
    await phone.goto("/dang-nhap");
    await waitForHydration(phone);
    await phone.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("lethu.hoaphu");
    await phone.getByLabel("Mật khẩu", { exact: true }).fill("mật khẩu tạm thời của Thu");
    await phone.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(phone).toHaveURL(/\/doi-mat-khau$/);
    await phone.getByLabel(/Mật khẩu hiện tại/).fill("mật khẩu tạm thời của Thu");
    await phone.getByLabel("Mật khẩu mới").fill("cà phê sáng ở buôn Ea Khít");
    await phone.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await expect(phone.getByRole("link", { name: "Người học", exact: true })).toBeVisible();
    await context.close();
  });
});
