/**
 * The 64 emoji of Session's short authentication strings (protocol-v2.md §11.2; upstream
 * session-foundation/libsession-util:include/session/core/link_sas.hpp `SAS_EMOJI`), taken by
 * upstream from the Matrix client-server API specification v1.17, §10.12.2.2.6 (SAS emoji).
 *
 * Written as code points so the exact sequence is visible: five entries carry U+FE0F
 * (VARIATION SELECTOR-16) after the base character, which is part of the string compared and
 * shown; dropping it would render some of them as text glyphs.
 */

/** The code points of each table entry, index 0–63. */
export const SAS_EMOJI_CODE_POINTS: readonly (readonly number[])[] = [
  [0x1f436], // 0 dog
  [0x1f431], // 1 cat
  [0x1f981], // 2 lion
  [0x1f40e], // 3 horse
  [0x1f984], // 4 unicorn
  [0x1f437], // 5 pig
  [0x1f418], // 6 elephant
  [0x1f430], // 7 rabbit
  [0x1f43c], // 8 panda
  [0x1f413], // 9 rooster
  [0x1f427], // 10 penguin
  [0x1f422], // 11 turtle
  [0x1f41f], // 12 fish
  [0x1f419], // 13 octopus
  [0x1f98b], // 14 butterfly
  [0x1f337], // 15 flower
  [0x1f333], // 16 tree
  [0x1f335], // 17 cactus
  [0x1f344], // 18 mushroom
  [0x1f30f], // 19 globe
  [0x1f319], // 20 moon
  [0x2601, 0xfe0f], // 21 cloud
  [0x1f525], // 22 fire
  [0x1f34c], // 23 banana
  [0x1f34e], // 24 apple
  [0x1f353], // 25 strawberry
  [0x1f33d], // 26 corn
  [0x1f355], // 27 pizza
  [0x1f382], // 28 cake
  [0x2764, 0xfe0f], // 29 heart
  [0x1f600], // 30 smiley
  [0x1f916], // 31 robot
  [0x1f3a9], // 32 hat
  [0x1f453], // 33 glasses
  [0x1f527], // 34 spanner
  [0x1f385], // 35 santa
  [0x1f44d], // 36 thumbs up
  [0x2602, 0xfe0f], // 37 umbrella
  [0x231b], // 38 hourglass
  [0x23f0], // 39 clock
  [0x1f381], // 40 gift
  [0x1f4a1], // 41 light bulb
  [0x1f4d5], // 42 book
  [0x270f, 0xfe0f], // 43 pencil
  [0x1f4ce], // 44 paperclip
  [0x2702, 0xfe0f], // 45 scissors
  [0x1f512], // 46 lock
  [0x1f511], // 47 key
  [0x1f528], // 48 hammer
  [0x260e, 0xfe0f], // 49 telephone
  [0x1f3c1], // 50 flag
  [0x1f682], // 51 train
  [0x1f6b2], // 52 bicycle
  [0x2708, 0xfe0f], // 53 aeroplane
  [0x1f680], // 54 rocket
  [0x1f3c6], // 55 trophy
  [0x26bd], // 56 ball
  [0x1f3b8], // 57 guitar
  [0x1f3ba], // 58 trumpet
  [0x1f514], // 59 bell
  [0x2693], // 60 anchor
  [0x1f3a7], // 61 headphones
  [0x1f4c1], // 62 folder
  [0x1f4cc], // 63 pin
];

/** The 64 emoji as strings, index 0–63 (`SAS_EMOJI[index]`). */
export const SAS_EMOJI: readonly string[] = SAS_EMOJI_CODE_POINTS.map((cps) =>
  String.fromCodePoint(...cps),
);
