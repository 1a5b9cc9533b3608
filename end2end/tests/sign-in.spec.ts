import { test, expect, waitForHydration } from "./fixtures";
import { DEMO_PASSWORD } from "../playwright.config";

test.describe("signing in on a 390 px phone", () => {
  test("a team member signs in, sees their name, and signs out", async ({ page }) => {
    await page.goto("/dang-nhap");
    await waitForHydration(page);
    await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("thanhvien.hoaphu");
    const password = page.getByLabel("Mật khẩu", { exact: true });
    await password.fill(DEMO_PASSWORD);
    await page.getByLabel("Hiện mật khẩu").check();
    await expect(password).toHaveAttribute("type", "text");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("banner").getByText("Thành viên tổ Hòa Phú (demo)")).toBeVisible();

    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  });

  test("a wrong password shows a message in Vietnamese beside the form", async ({ page }) => {
    await page.goto("/dang-nhap");
    await waitForHydration(page);
    await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("totruong.tanan");
    await page.getByLabel("Mật khẩu", { exact: true }).fill("không đúng mật khẩu");
    // The failed sign-in answers 401; the browser logs that as a failed resource load.
    page.removeAllListeners("console");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("alert")).toHaveText("Tên đăng nhập hoặc mật khẩu không đúng.");
  });

  test("signing in works with JavaScript disabled", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, baseURL });
    const page = await context.newPage();
    await page.goto("/dang-nhap");
    await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("totruong.hoaphu");
    await page.getByLabel("Mật khẩu", { exact: true }).fill("không phải mật khẩu này");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByTestId("form-error")).toHaveText(/Tên đăng nhập hoặc mật khẩu không đúng/);
    await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill("totruong.hoaphu");
    await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("banner").getByText("Tổ trưởng Hòa Phú (demo)")).toBeVisible();
    await context.close();
  });
});
