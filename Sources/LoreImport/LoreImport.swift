import LoreCore
