import { test, expect, waitForHydration } from "./fixtures";

test.describe("home page on a 390 px phone", () => {
  test("the server-rendered page is in Vietnamese and lists the communes before any script runs", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByRole("heading", { level: 1, name: "Kỹ Năng Số" })).toBeVisible();
    await expect(page.getByText("Xã Hòa Phú")).toBeVisible();
    await expect(page.getByText("Hiển thị 4 / 4 đơn vị")).toBeVisible();
    await context.close();
  });

  test("after hydration, typing without diacritics filters the communes", async ({ page }) => {
    await page.goto("/");
    await waitForHydration(page);
    const search = page.getByRole("searchbox", { name: "Tìm xã, phường" });
    await search.fill("hoa phu");
    await expect(page.getByText("Hiển thị 1 / 4 đơn vị")).toBeVisible();
    const items = page.getByRole("listitem");
    await expect(items).toHaveCount(1);
    await expect(items.first()).toContainText("Xã Hòa Phú");
    await expect(items.first()).toContainText("Mã 24175");

    await search.fill("PHƯỜNG");
    await expect(page.getByText("Hiển thị 3 / 4 đơn vị")).toBeVisible();
  });

  test("the page fits the phone width without horizontal scrolling", async ({ page }) => {
    await page.goto("/");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
