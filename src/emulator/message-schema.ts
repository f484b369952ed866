import { z } from "zod";
import { httpUrlSchema } from "../types/http-url";

/** The media message types, each downloaded from its `url`. */
export const MEDIA_TYPES = ["image", "video", "document", "audio", "sticker"] as const;
/** Every message type the emulator accepts. */
export const MESSAGE_TYPES = ["text", ...MEDIA_TYPES] as const;
/** A media message type. */
export type MediaType = (typeof MEDIA_TYPES)[number];
/** A message type. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

const MB = 1024 * 1024;

/** Accepted content types and the largest size, per media type (the API notes' limits). */
export const MEDIA_RULES: Readonly<Record<MediaType, { contentTypes: readonly string[]; maxBytes: number }>> =
  {
    image: { contentTypes: ["image/jpeg", "image/png"], maxBytes: 5 * MB },
    audio: {
      contentTypes: ["audio/aac", "audio/mp4", "audio/amr", "audio/mpeg", "audio/ogg", "audio/opus"],
      maxBytes: 16 * MB,
    },
    video: { contentTypes: ["video/mp4", "video/3gpp"], maxBytes: 16 * MB },
    sticker: { contentTypes: ["image/webp"], maxBytes: 100 * 1024 },
    document: {
      contentTypes: [
        "application/pdf",
        "text/plain",
        "text/csv",
        "application/rtf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
      ],
      maxBytes: 100 * MB,
    },
  };

const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${what}`),
});
const mediaUrl = z.string(required("a string")).pipe(httpUrlSchema);
const provider = z.string(required("a string")).min(1, "must not be empty").optional();
const caption = z.string(required("a string")).max(3000, "must be at most 3000 characters").optional();

/** The body of `POST /whatsapp/v1/{botId}/messages`. */
export const sendMessageSchema = z.strictObject({
  to: z
    .array(
      z
        .string(required("a string"))
        .regex(/^[0-9]{1,15}$/, "must be a phone number: digits only, at most 15"),
      required("an array of phone numbers"),
    )
    .min(1, "must hold at least 1 recipient")
    .max(20, "must hold at most 20 recipients"),
  message: z.discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("text"),
        body: z
          .string(required("a string"))
          .min(1, "must not be empty")
          .max(4096, "must be at most 4096 characters"),
        preview_url: z.boolean(required("a boolean")).optional(),
      }),
      z.strictObject({ type: z.literal("image"), url: mediaUrl, caption, provider }),
      z.strictObject({ type: z.literal("video"), url: mediaUrl, caption, provider }),
      z.strictObject({
        type: z.literal("document"),
        url: mediaUrl,
        filename: z.string(required("a string")).min(1, "must not be empty").optional(),
        caption,
        provider,
      }),
      z.strictObject({ type: z.literal("audio"), url: mediaUrl, provider }),
      z.strictObject({ type: z.literal("sticker"), url: mediaUrl, provider }),
    ],
    {
      error: (issue) =>
        issue.code === "invalid_union"
          ? `type must be one of ${MESSAGE_TYPES.join(", ")}`
          : issue.input === undefined
            ? "is required"
            : "must be a message object",
    },
  ),
  callback: z.string(required("a string")).optional(),
});

/** A valid send request. */
export type SendMessageRequest = z.output<typeof sendMessageSchema>;
