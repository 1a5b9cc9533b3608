import { test, expect, signIn } from "./fixtures";

// A register as a commune keeps it in Excel, saved as CSV: two good rows, one with an
// impossible birth date, one with a phone number that is too short.
const REGISTER = [
  "STT,Họ và tên,Ngày sinh,Giới tính,Thôn/Buôn,SĐT",
  "1,Quách Thị Uyển,14/02/1991,Nữ,Thôn 1,0905 333 444",
  "2,Y Nuê Knul,1987,Nam,Buôn Ea Khít,",
  "3,Tạ Văn Khải,30/02/1980,Nam,Thôn 2,",
  "4,La Thị Gấm,1993,Nữ,Thôn 2,09123",
].join("\n");

test("a commune lead uploads a register, sees the bad rows, imports the good ones and finds the people", async ({ page }) => {
  await signIn(page, "totruong.hoaphu");
  await page.getByRole("link", { name: "Nhập từ tệp" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nhập dữ liệu từ tệp" })).toBeVisible();
  await page.getByLabel("Tệp").setInputFiles({
    name: "so-hoc-vien.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("\ufeff" + REGISTER, "utf8"),
  });
  await page.getByRole("button", { name: "Tải lên và xem trước" }).click();

  // The preview: the columns as read, the counts, and each bad row with its column.
  await expect(page.getByRole("heading", { level: 1, name: "Danh sách người học" })).toBeVisible();
  const counts = page.getByTestId("import-counts");
  await expect(counts.locator('[data-count="rows"] td')).toHaveText("4");
  await expect(counts.locator('[data-count="new"] td')).toHaveText("2");
  await expect(counts.locator('[data-count="rejected"] td')).toHaveText("2");
  const issues = page.getByTestId("import-issues");
  await expect(issues.locator('tr[data-row="4"]')).toContainText("Ngày sinh");
  await expect(issues.locator('tr[data-row="5"]')).toContainText("SĐT");
  await page.getByText("Cách đọc các cột").click();
  await expect(page.getByLabel("SĐT")).toHaveValue("phone");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the page does not scroll sideways at 390 px").toBeLessThanOrEqual(0);

  // Nothing is fixed: the good rows go in, after the consent confirmation.
  await page.getByLabel(/đã đồng ý/).check();
  await page.getByRole("button", { name: "Nhập 2 dòng" }).click();
  await expect(page.getByTestId("import-done")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("import-counts").locator('[data-count="new"] td')).toHaveText("2");

  await page.getByRole("link", { name: "Xem người học" }).click();
  const search = page.getByLabel("Tìm theo tên, năm sinh hoặc số điện thoại");
  await search.fill("quach thi uyen");
  await expect(page.getByText("Quách Thị Uyển")).toBeVisible();
  await search.fill("y nue");
  await expect(page.getByText("Y Nuê Knul")).toBeVisible();
  await search.fill("ta van khai");
  await expect(page.getByText("Tạ Văn Khải")).toHaveCount(0);
});
