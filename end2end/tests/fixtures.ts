import { test as base, expect, Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../playwright.config";

// Every test fails on an uncaught page error or a console error (a hydration mismatch
// shows up as one).
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console.error: ${msg.text()}`);
    });
    await use(page);
    expect(problems, "no errors in the page").toEqual([]);
  },
});

/** Waits until the wasm has hydrated the page (the app sets this marker in an effect). */
export async function waitForHydration(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Signs in through the sign-in page (a demo account unless a password is given). */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto("/dang-nhap");
  await waitForHydration(page);
  await page.getByLabel("Tên đăng nhập hoặc số điện thoại").fill(login);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
}

export { expect };
