import { describe, expect, it } from "vitest";
import { opensEmergencyPa, type ShortcutPress } from "./pa-shortcut";

const press: ShortcutPress = {
  key: "e",
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  repeat: false,
  defaultPrevented: false,
  targetTag: "BODY",
};

describe("the Emergency PA shortcut", () => {
  it("opens the PA form on a bare e pressed on the page", () => {
    expect(opensEmergencyPa(press)).toBe(true);
    expect(opensEmergencyPa({ ...press, targetTag: "A" })).toBe(true);
  });

  it.each(["INPUT", "TEXTAREA", "SELECT"])("does nothing while typing in a %s", (targetTag) => {
    expect(opensEmergencyPa({ ...press, targetTag })).toBe(false);
  });

  it("does nothing in an editable area, with a modifier, on auto-repeat, or when already handled", () => {
    expect(opensEmergencyPa({ ...press, targetTag: "DIV", targetEditable: true })).toBe(false);
    expect(opensEmergencyPa({ ...press, ctrlKey: true })).toBe(false);
    expect(opensEmergencyPa({ ...press, metaKey: true })).toBe(false);
    expect(opensEmergencyPa({ ...press, altKey: true })).toBe(false);
    expect(opensEmergencyPa({ ...press, key: "E", shiftKey: true })).toBe(false);
    expect(opensEmergencyPa({ ...press, repeat: true })).toBe(false);
    expect(opensEmergencyPa({ ...press, defaultPrevented: true })).toBe(false);
    expect(opensEmergencyPa({ ...press, key: "r" })).toBe(false);
  });
});
