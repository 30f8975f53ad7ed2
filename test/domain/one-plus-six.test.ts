import { describe, expect, it } from "vitest";
import { assertOnePlusSix, onePlusSixProblems } from "../../src/domain/targets/one-plus-six.js";

const set = (poverty: number, local: number, superior: number) => [
  ...Array(poverty).fill("poverty"),
  ...Array(local).fill("local"),
  ...Array(superior).fill("superior"),
];

describe("1+6+N (§6.2)", () => {
  it("holds for 1 + 6 + any number", () => {
    expect(onePlusSixProblems(set(1, 6, 0))).toEqual([]);
    expect(onePlusSixProblems(set(2, 7, 5))).toEqual([]);
  });

  it("names each missing part", () => {
    expect(onePlusSixProblems(set(0, 6, 3))).toEqual(["脱贫攻坚目标至少 1 项（现有 0 项）"]);
    expect(onePlusSixProblems(set(1, 5, 4))).toEqual(["本级目标至少 6 项（现有 5 项）"]);
    expect(onePlusSixProblems(set(0, 3, 0))).toHaveLength(3);
  });

  it("refuses with the clause and the agency", () => {
    expect(() => assertOnePlusSix("省文物局", set(1, 4, 0))).toThrow(/省文物局的职能绩效目标不符合“1\+6\+N”要求（DB52\/T §6\.2）/);
  });
});
