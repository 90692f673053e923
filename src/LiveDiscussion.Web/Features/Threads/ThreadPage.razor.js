// Browser-side help for the live thread page: where new replies are relative to the reader, and a remembered choice.

export function getPreference(key) {
    return window.localStorage.getItem(key);
}

export function setPreference(key, value) {
    window.localStorage.setItem(key, value);
}

function isInView(element) {
    const box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
}

export function scrollToReply(id) {
    const element = document.getElementById(`reply-${id}`);
    if (element) {
        element.scrollIntoView({ behavior: "smooth", block: "center" });
    }
}

// New replies the reader cannot see: a floating chip says how many and jumps to the first. All of it happens here, in
// the browser, as the page's new replies appear in the tree: a thousand readers cost the server no round trip per
// reply to learn what each of them can see.
let arrivals = null;

export function watchArrivals(tree) {
    arrivals?.stop();
    arrivals = tree ? new Arrivals(tree) : null;
}

export function forgetAll() {
    watchArrivals(null);
}

class Arrivals {
    constructor(tree) {
        this.unseen = new Map();
        this.noticed = new Set();
        this.chip = null;
        this.mutations = new MutationObserver(records => this.added(records));
        this.mutations.observe(tree, { childList: true, subtree: true });
    }

    added(records) {
        for (const record of records) {
            for (const node of record.addedNodes) {
                if (!(node instanceof Element)) {
                    continue;
                }
                const replies = [...node.querySelectorAll(".reply.just-arrived")];
                if (node.matches(".reply.just-arrived")) {
                    replies.unshift(node);
                }
                for (const reply of replies) {
                    this.notice(reply);
                }
            }
        }
        this.show();
    }

    // Each reply once: one shown again by expanding its parent is not new any more.
    notice(reply) {
        const id = reply.dataset.replyId;
        if (this.noticed.has(id)) {
            return;
        }
        this.noticed.add(id);
        if (isInView(reply)) {
            return;
        }
        const observer = new IntersectionObserver(entries => {
            if (entries.some(entry => entry.isIntersecting)) {
                this.forget(reply);
                this.show();
            }
        });
        observer.observe(reply);
        this.unseen.set(reply, observer);
    }

    forget(reply) {
        this.unseen.get(reply)?.disconnect();
        this.unseen.delete(reply);
    }

    show() {
        for (const reply of [...this.unseen.keys()].filter(reply => !reply.isConnected)) {
            this.forget(reply);
        }
        const count = this.unseen.size;
        if (count === 0) {
            this.chip?.remove();
            this.chip = null;
            return;
        }
        if (!this.chip) {
            this.chip = document.createElement("button");
            this.chip.type = "button";
            this.chip.className = "new-replies-chip";
            this.chip.dataset.testid = "new-replies-chip";
            this.chip.addEventListener("click", () => this.jump());
            document.body.append(this.chip);
        }
        this.chip.textContent = count === 1 ? "1 new reply" : `${count} new replies`;
    }

    jump() {
        const first = [...this.unseen.keys()]
            .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
        for (const reply of [...this.unseen.keys()]) {
            this.forget(reply);
        }
        this.show();
        first?.scrollIntoView({ behavior: "smooth", block: "center" });
    }

    stop() {
        this.mutations.disconnect();
        for (const reply of [...this.unseen.keys()]) {
            this.forget(reply);
        }
        this.show();
    }
}
