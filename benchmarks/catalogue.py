"""A made-up catalogue of guides for the benchmarks: thousands of different platforms, not copies of one.

    python benchmarks/catalogue.py FOLDER --guides 2600

Each guide is generated from a seeded random source, so a run is repeatable,
and varies the way real ones do (JustDeleteMe lists 2,591 services, tldr-pages
7,425 pages): names of one to three words, with digits, dots, accents and
capitals; other names (aliases) for some; summaries of one to three
sentences; two to nine steps of every kind, with links, expected results,
fallbacks, letters to an e-mail address, record fields and steps for some
regions only; every difficulty; sources on the platform's own domain and in
the press. Every guide passes the loader's checks (the app shows them all).
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import unicodedata
from pathlib import Path

FIRST = (
    "Amber Apex Arbor Atlas Aurora Azure Beacon Birch Blue Bolt Bright Brook Cedar Cinder Clear Cloud Cobalt Comet "
    "Copper Coral Crest Crystal Dawn Delta Drift Echo Ember Falcon Fern Fjord Flint Flux Forge Frost Gale Garnet "
    "Glade Granite Harbor Hazel Helix Heron Indigo Iris Ivy Jade Juniper Kestrel Kite Lark Lumen Lunar Maple Marble "
    "Meadow Mesa Mint Nimbus Noble Nova Oak Onyx Orbit Otter Pebble Pine Pixel Plume Polar Prism Pulse Quartz Quill "
    "Raven Reef Ridge River Rowan Sable Sage Scarlet Shore Sierra Silver Slate Solar Sparrow Spruce Stone Summit Swift "
    "Tidal Timber Topaz Tundra Umber Velvet Vista Willow Wren Zenith Zephyr"
).split()
SECOND = (
    "Notes Chat Cloud Social Photos Music Docs Mail Maps Video Books Learn Pay Shop Drive Meet Forms Health Fit "
    "Travel Dating News Games Jobs Code Design Write Translate Voice Stream Tasks Calendar Bank Home Kids Recipes "
    "Studio Hub Space Works Labs Box Desk Link Post Cast Board Share Path Wave Frame Spark Loop Nest"
).split()
ACCENTED = ["Zoë", "Café", "Señor", "Über", "Ärzte", "Crème", "Fjällräven", "Smörgås", "Noël", "Björk"]
TLDS = [".com", ".com", ".com", ".io", ".app", ".net", ".org", ".co.uk", ".de", ".fr", ".ai"]
PRESS = ["www.theverge.com", "www.wired.com", "www.theregister.com", "techcrunch.com", "www.bbc.co.uk"]
THINGS = ["posts", "photos", "messages", "notes", "voice recordings", "documents", "chats", "videos", "playlists"]
DIFFICULTY = (
    ["easy"] * 40 + ["medium"] * 30 + ["hard"] * 15 + ["limited"] * 8 + ["impossible"] * 4 + ["nothing-to-do"] * 3
)
SUMMARY = [
    "{name} uses your {thing} to train its AI unless you switch it off.",
    "The switch covers only the AI that writes text.",
    "A form lets you object to the rest.",
    "{name} says it does not train on your {thing}; the steps show where it says so.",
    "There is no switch, but you can send a letter under the law where you live.",
    "People in the EU and the UK can object; everyone else can delete old {thing}.",
    "Business accounts have a separate setting that only an admin can change.",
    "The setting is on the website only, not in the app.",
    "It takes a few minutes and you only need your password.",
]
VERBS = ["Open", "Turn off", "Check", "Send", "Sign in to", "Choose", "Find", "Delete", "Review", "Save"]
WHAT = [
    "the privacy settings",
    "the AI setting",
    "the data page",
    "the objection form",
    "your account",
    "the switch",
    "your old {thing}",
    "the confirmation e-mail",
    "the export page",
    "the help page",
]
SENTENCES = [
    "Open the page in your browser and sign in.",
    "Look for the words **Use my data to improve AI** and a switch next to them.",
    "Click the switch once so that it shows **Off**.",
    "If you use more than one account, do this for each of them.",
    "The page may ask for your password again.",
    "Scroll down to **Privacy** and open it.",
    "Write down the date, in case you need it later.",
    "Wait for the e-mail that confirms it; it can take a day.",
    "Copy the text below into the box and click **Send**.",
    "The app on your phone does not have this setting yet.",
]


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"


def make_name(rnd: random.Random) -> str:
    roll = rnd.random()
    if roll < 0.35:
        return rnd.choice(FIRST) + rnd.choice(SECOND).lower()
    if roll < 0.65:
        return f"{rnd.choice(FIRST)} {rnd.choice(SECOND)}"
    if roll < 0.75:
        return f"{rnd.choice(FIRST)}{rnd.choice(['.io', '.ly', '.me', '.fm'])}"
    if roll < 0.82:
        return f"{rnd.randint(2, 999)}{rnd.choice(SECOND).lower()}"
    if roll < 0.88:
        return f"{rnd.choice(ACCENTED)} {rnd.choice(SECOND)}"
    if roll < 0.94:
        return f"{rnd.choice(FIRST)} {rnd.choice(FIRST)} {rnd.choice(SECOND)}"
    return rnd.choice(FIRST).upper()[: rnd.randint(2, 5)] + rnd.choice(SECOND)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_guide(rnd: random.Random, name: str, gid: str, today: datetime.date) -> str:
    domain = gid.replace("-", "") + rnd.choice(TLDS)
    thing = rnd.choice(THINGS)
    difficulty = rnd.choice(DIFFICULTY)
    lines = [
        f"name: {quoted(name)}",
        f"title: {quoted(f'Stop {name} training AI on your {thing}')}",
        "summary: >",
    ]
    for sentence in rnd.sample(SUMMARY, rnd.randint(1, 3)):
        lines.append("  " + sentence.format(name=name, thing=thing))
    verified = today - datetime.timedelta(days=rnd.randint(0, 170))
    lines += [
        f"last_verified: {verified.isoformat()}",
        f"difficulty: {difficulty}",
        f"minutes: {rnd.choice([2, 3, 5, 5, 10, 10, 15, 20, 30, 45, 60])}",
        f"recheck_days: {rnd.choice([30, 60, 90, 90, 180, 365])}",
        f"domains: [{domain}]",
    ]
    if rnd.random() < 0.12:
        lines.append(f"regions: [{rnd.choice(['EU', 'EEA', 'US', 'GB', 'DE', 'FR'])}]")
    if rnd.random() < 0.22:
        aliases = {f"{rnd.choice(FIRST)} {rnd.choice(SECOND)}" for _ in range(rnd.randint(1, 3))}
        lines.append("aliases: [" + ", ".join(quoted(a) for a in sorted(aliases)) + "]")
    lines.append("sources:")
    lines.append(f"  - url: https://help.{domain}/articles/{rnd.randint(1000, 99999)}")
    lines.append(f"    title: {quoted(f'{name} Help: your data and AI')}")
    for _ in range(rnd.randint(0, 2)):
        lines.append(f"  - url: https://{rnd.choice(PRESS)}/{verified.year}/{gid}-ai-training-{rnd.randint(1, 999)}")
        lines.append(f"    title: {quoted(f'{name} will train AI on your {thing}')}")
        lines.append(f"    date: {(verified - datetime.timedelta(days=rnd.randint(1, 300))).isoformat()}")
    if difficulty in ("limited", "impossible") or rnd.random() < 0.3:
        lines += ["limits:", "  - AI models that were already trained on your data keep what they learned."]
    lines.append("steps:")
    for i in range(rnd.randint(2, 9)):
        kind = rnd.choice(["setting", "setting", "action", "check", "info", "form", "email"])
        what = rnd.choice(WHAT).format(thing=thing)
        lines += [
            f"  - id: step-{i + 1}-{kind}",
            f"    kind: {kind}",
            f"    title: {quoted(f'{rnd.choice(VERBS)} {what}')}",
        ]
        lines.append("    body: |")
        for sentence in rnd.sample(SENTENCES, rnd.randint(1, 4)):
            lines.append("      " + sentence)
        if rnd.random() < 0.2:
            lines.append(f"      See [the help page](https://help.{domain}/ai) for more.")
        if kind in ("setting", "check", "form") or rnd.random() < 0.3:
            lines += [
                "    link:",
                f"      url: https://www.{domain}/settings/{rnd.choice(['privacy', 'ai', 'data', 'account'])}",
                f"      label: {quoted('Open ' + what)}",
            ]
        if kind in ("setting", "check"):
            lines.append("    expect: The switch shows **Off**.")
        if rnd.random() < 0.3:
            lines.append("    fallback: Open **Settings**, then **Privacy**, then look for **AI**.")
        if rnd.random() < 0.1:
            lines.append(f"    regions: [{rnd.choice(['EU', 'UK', 'US', 'CA'])}]")
        if kind == "email":
            lines += [
                "    template:",
                f"      to: privacy@{domain}",
                "      subject: Please stop using my data for AI training",
                "      text: |",
                f"        Dear {name} team,",
                "        please stop using my data to train AI. My account is {account}.",
                "        {full_name}",
                "      blanks:",
                "        - name: account",
                "          label: Your user name",
                "        - name: full_name",
                "          label: Your full name",
            ]
        if kind == "form":
            lines += ["    record:", "      - name: case_number", "        label: Case number"]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, *, seed: int = 2600, today: datetime.date | None = None) -> list[str]:
    """Write `count` guides into `folder`; returns their names."""
    today = today or datetime.date.today()
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names, taken = [], set()
    while len(names) < count:
        name = make_name(rnd)
        gid = slug(name)
        if gid in taken or len(gid) > 60:
            continue
        taken.add(gid)
        (folder / f"{gid}.yaml").write_text(make_guide(rnd, name, gid, today), encoding="utf-8")
        names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--guides", type=int, default=2600)
    parser.add_argument("--seed", type=int, default=2600)
    args = parser.parse_args()
    names = generate(args.folder, args.guides, seed=args.seed)
    print(f"wrote {len(names)} guides to {args.folder}")


if __name__ == "__main__":
    main()
