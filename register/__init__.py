"""The bureau's case register (``quanze.register``): every saved version of every case in a database, chained by
hashes; the register of open cases with their 黄牌 and 红牌; the daily digest. Above the engine (it calls
``engine/api.py`` only), below the doors (``quanze register``, ``quanze serve``)."""
