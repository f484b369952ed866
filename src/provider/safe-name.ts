import type { dynamic } from "@pulumi/pulumi";
import { z } from "zod";
import { isAddressableName } from "../client/provider-path";
import { UNADDRESSABLE_NAME } from "../errors/unsafe-delete-error";

/**
 * A provider name the provider can act on: any name the API may list (names from before the
 * 2020 rules included), as long as a DELETE can address that one provider alone.
 */
export const addressableNameSchema = z
  .string({ message: "is missing" })
  .refine(isAddressableName, { message: `cannot be deleted safely: ${UNADDRESSABLE_NAME}` });

/**
 * Check's rule for a name adopted with `adoptExisting` that today's rules would refuse: it is
 * taken over only when it can later be deleted safely, else the user removes it by hand.
 */
export function legacyNameFailures(name: unknown): dynamic.CheckFailure[] {
  if (addressableNameSchema.safeParse(name).success) return [];
  return [
    {
      property: "name",
      reason: `name ${JSON.stringify(name)} cannot be adopted: ${UNADDRESSABLE_NAME}, so it could never be deleted safely through the API. Remove that provider by hand (for example with the API and a tool that sends the exact path), then declare it again.`,
    },
  ];
}
