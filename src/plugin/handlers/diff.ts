import { diffKeys } from "../../provider/diff";
import { diffResponse } from "../diff-response";
import type { DiffRequest, DiffResponse } from "../resource-messages";
import type { Rpc } from "../unary";
import { received } from "../wire-values";

/**
 * Diff: the dynamic resource's comparison of the old outputs (live values after a refresh) with
 * the new inputs, as a detailed diff; `botId` and `name` replace. Keys the program ignores
 * (`ignoreChanges`) are left out. No request is made, so unknown values only count as changes.
 */
export const diff: Rpc<DiffRequest, DiffResponse> = {
  bags: (request) => [request.olds, request.oldInputs, request.news],
  async handle(request) {
    const olds = received(request.olds).props;
    const news = received(request.news).props;
    const ignored = new Set(request.ignoreChanges);
    const { replaces, updates } = diffKeys(olds, news);
    const kept = (keys: string[]) => keys.filter((key) => !ignored.has(key));
    return diffResponse({ replaces: kept(replaces), updates: kept(updates) }, olds, news);
  },
};
