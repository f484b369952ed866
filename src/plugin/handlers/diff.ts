import { diffKeys } from "../../provider/diff";
import { diffResponse } from "../diff-response";
import type { provider } from "../proto";
import type { Rpc } from "../unary";
import { fromStruct } from "../wire-values";

/**
 * Diff: the dynamic resource's comparison of the old outputs (live values after a refresh) with
 * the new inputs, as a detailed diff; `botId` and `name` replace. Keys the program ignores
 * (`ignoreChanges`) are left out. No request is made, so unknown values only count as changes.
 */
export const diff: Rpc<provider.DiffRequest, provider.DiffResponse> = {
  structs: (request) => [request.getOlds(), request.getOldInputs(), request.getNews()],
  async handle(request) {
    const olds = fromStruct(request.getOlds()).props;
    const news = fromStruct(request.getNews()).props;
    const ignored = new Set(request.getIgnorechangesList());
    const { replaces, updates } = diffKeys(olds, news);
    const kept = (keys: string[]) => keys.filter((key) => !ignored.has(key));
    return diffResponse({ replaces: kept(replaces), updates: kept(updates) }, olds, news);
  },
};
