import { test, expect, signIn } from "./fixtures";

// Figures on 26 Nov 2026, worked out by hand from the demo data (see
// server/tests/api/coverage.rs): 6 trained of working age in Xã Hòa Phú, whose demo
// working-age population is 14 820. A past date keeps them fixed while other browser
// tests add sessions today.
const REPORT = "/bao-cao?ngay=2026-11-26";

test.describe("coverage on a 390 px phone", () => {
  test("the province reviewer reads the table, sorts it and drills into a commune", async ({ page }) => {
    await signIn(page, "theodoi");
    await page.goto(REPORT);
    await expect(page.getByRole("heading", { level: 1, name: "Phổ cập kỹ năng số cơ bản" })).toBeVisible();
    await expect(page.getByTestId("basis")).toContainText("26/11/2026");
    await expect(page.getByTestId("basis")).toContainText("ND135-2020");

    const hoaPhu = page.locator('tr[data-code="24175"]');
    await expect(hoaPhu.locator("td").nth(0)).toHaveText("6");
    await expect(hoaPhu.locator("td").nth(1)).toHaveText("14.820");
    await expect(hoaPhu.locator("td").nth(2)).toHaveText("0,0 %");
    // Status reads as a word, not only as a colour.
    await expect(hoaPhu.getByText("Chưa đạt")).toBeVisible();
    await expect(hoaPhu.locator("td").nth(4)).toHaveText("10.369");
    await expect(hoaPhu.locator("td").nth(5)).toHaveText("11.850");

    // The page itself never scrolls sideways; the wide table scrolls in its own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByTestId("trend").locator("svg")).toBeVisible();

    // Sorting by trained people puts Hòa Phú first.
    await page.getByRole("link", { name: "Đã tập huấn" }).click();
    await expect(page).toHaveURL(/sap-xep=da-tap-huan/);
    await expect(page.locator("table.coverage tbody tr").first()).toHaveAttribute("data-code", "24175");

    await hoaPhu.getByRole("link", { name: "Xã Hòa Phú" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Xã Hòa Phú" })).toBeVisible();
    await expect(page.getByTestId("commune-trained")).toHaveText("6");
    await expect(page.getByTestId("sessions-held")).toHaveText("3 buổi đã tổ chức.");
    await expect(page.getByTestId("villages")).toContainText("Buôn Ea Khít");
    await expect(page.getByTestId("profile")).toBeVisible();
    // No names for the province: the list of people is for the commune's own team.
    await expect(page.getByText("Người học còn thiếu mô-đun")).toHaveCount(0);
    const communeOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(communeOverflow).toBeLessThanOrEqual(0);
  });
});

test.describe("coverage on a desktop screen", () => {
  test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

  test("the commune lead sees the whole table, their people still missing modules, and downloads it", async ({ page }) => {
    await signIn(page, "totruong.hoaphu");
    await page.goto("/");
    await page.getByRole("link", { name: "Phổ cập theo xã" }).click();
    await expect(page.getByTestId("communes")).toBeVisible();
    // On a desktop the whole table fits: nothing scrolls sideways.
    const tableOverflow = await page.locator(".table-scroll").evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(tableOverflow).toBeLessThanOrEqual(0);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Excel" }).first().click();
    expect((await download).suggestedFilename()).toMatch(/^kynangso-.*\.xlsx$/);

    await page.goto(REPORT);
    await page.locator('tr[data-code="24175"]').getByRole("link").click();
    const missing = page.getByTestId("still-missing");
    await expect(missing).toContainText("Lê Thị Mai");
    await expect(missing).toContainText("Còn thiếu:");
  });
});
