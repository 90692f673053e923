// Keeps what is typed into a composer in this browser, keystroke by keystroke, without asking the server: if the
// server (or the connection to it) dies mid-sentence, the words are still here when the page loads again.

const prefix = "livediscussion:draft:";

export function keep(host, key, draftId) {
    const box = host?.querySelector("textarea, input");
    if (!box) {
        return;
    }
    // The draft's id goes with its words, so a send repeated after the page came back is recognised as the same reply.
    box.dataset.draftId = draftId;
    if (box.dataset.draftKey !== key) {
        box.dataset.draftKey = key;
        box.addEventListener("input", () => save(key, box.value, box.dataset.draftId));
        // Whatever was typed before this listener existed.
        save(key, box.value, draftId);
    }
}

function save(key, text, draftId) {
    if (text && text.trim().length > 0) {
        window.localStorage.setItem(prefix + key, JSON.stringify({ text, draftId }));
    } else {
        window.localStorage.removeItem(prefix + key);
    }
}

// At most maxLength characters go back to the server, so a kept draft can never make a message larger than the
// circuit accepts; the length says whether the words had to be cut.
export function restore(key, maxLength) {
    const saved = window.localStorage.getItem(prefix + key);
    try {
        const kept = saved ? JSON.parse(saved) : null;
        if (!kept || typeof kept.text !== "string") {
            return null;
        }
        const draftId = typeof kept.draftId === "string" ? kept.draftId.substring(0, 64) : null;
        return { text: kept.text.substring(0, maxLength), draftId, length: kept.text.length };
    } catch {
        return null;
    }
}

export function forget(key) {
    window.localStorage.removeItem(prefix + key);
}

// The keys under a beginning, without it: which composers of a page had words in them. A page has a few composers;
// the cap keeps a browser's odd storage from making a message larger than the circuit accepts.
const maxKeptKeys = 100;

export function keysStartingWith(start) {
    const found = [];
    for (let i = 0; i < window.localStorage.length && found.length < maxKeptKeys; i++) {
        const key = window.localStorage.key(i);
        if (key && key.startsWith(prefix + start) && key.length <= prefix.length + start.length + 32) {
            found.push(key.substring(prefix.length + start.length));
        }
    }
    return found;
}
