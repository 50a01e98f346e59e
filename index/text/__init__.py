"""index/text/, a room of the index layer. Text knowledge: regions, years, periods, numbers and units,
indicators, the tokenizer. Pure functions over strings; imports no other room.
"""
