// What Discord and Slack accept, each limit as the platform's own documentation states it (the address
// beside it). The builders keep within these (long lists end with "and N more", see fit.ts), and
// test/payload-limits.test.ts renders every payload with worst-case inputs against them. Lengths are
// counted in UTF-16 code units (String.length), never fewer than the platforms' characters. The bot sends
// no embeds; their limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
// belong here the day it does.

export const DISCORD = {
  /** https://discord.com/developers/docs/resources/message#create-message-jsonform-params (also edits and interaction replies) */
  content: 2000,
  /** https://discord.com/developers/docs/resources/channel#start-thread-from-message-json-params */
  threadName: 100,
  /** https://discord.com/developers/docs/resources/message#attachment-object-attachment-structure (alt text) */
  attachmentDescription: 1024,
  /** https://discord.com/developers/docs/components/reference#action-row: five buttons a row, five rows a message. */
  buttonsPerRow: 5,
  rowsPerMessage: 5,
  /** https://discord.com/developers/docs/components/reference#button */
  buttonLabel: 80,
  customId: 100,
  /** https://discord.com/developers/docs/components/reference#string-select */
  selectOptions: 25,
  selectPlaceholder: 150,
  /** https://discord.com/developers/docs/components/reference#string-select-select-option-structure */
  selectOptionLabel: 100,
  selectOptionDescription: 100,
  selectOptionValue: 100,
  command: {
    /**
     * https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming:
     * a slash command's and an option's name (localized too), lower case where the letter has a lower case.
     */
    namePattern: /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u,
    /** https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-structure (localizations too) */
    name: 32,
    description: 100,
    /** https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-structure */
    options: 25,
    optionName: 32,
    optionDescription: 100,
    choices: 25,
    /** https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure */
    choiceName: 100,
    choiceValue: 100,
    /**
     * https://discord.com/developers/docs/interactions/application-commands#registering-a-command: names,
     * descriptions and values of a command, its options and choices together (the longest localization of each).
     */
    total: 8000,
  },
} as const;

export const SLACK = {
  /**
   * https://docs.slack.dev/reference/methods/chat.postMessage#truncating-content: text past 40,000 characters
   * is cut; Slack asks for at most 4,000, which every text the bot sends keeps to.
   */
  text: 4000,
  /** https://docs.slack.dev/reference/block-kit/blocks: 50 blocks in a message, 100 in a modal. */
  messageBlocks: 50,
  /** https://docs.slack.dev/reference/block-kit/blocks/section-block */
  sectionText: 3000,
  /** https://docs.slack.dev/reference/block-kit/blocks/context-block */
  contextElements: 10,
  /** https://docs.slack.dev/reference/block-kit/blocks/actions-block */
  actionsElements: 25,
  /** https://docs.slack.dev/reference/block-kit/blocks/actions-block: unique per message and per update of it. */
  blockId: 255,
  /** https://docs.slack.dev/reference/block-kit/block-elements/button-element */
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element#static_select */
  selectOptions: 100,
  /** https://docs.slack.dev/reference/block-kit/composition-objects/option-object */
  optionText: 75,
  optionDescription: 75,
  optionValue: 150,
  /** https://docs.slack.dev/reference/block-kit/blocks/input-block */
  inputLabel: 2000,
  inputHint: 2000,
  /** https://docs.slack.dev/reference/views/modal-views */
  modal: { title: 24, submit: 24, close: 24, blocks: 100, privateMetadata: 3000, callbackId: 255 },
  /** https://github.com/slackapi/manifest-schema/blob/main/schemas/manifest.schema.1.0.0.json (the schema of https://docs.slack.dev/reference/app-manifest) */
  manifest: { name: 35, description: 140, botDisplayName: 80, command: 32, commandDescription: 2000, usageHint: 1000, shortcutName: 24, shortcutDescription: 150, callbackId: 255 },
} as const;
